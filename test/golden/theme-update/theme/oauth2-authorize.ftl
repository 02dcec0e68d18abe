[#ftl/]
[#-- The login page of the Brand theme --]
[#import "../_helpers.ftl" as helpers/]
[@helpers.html]
  [@helpers.head title=theme.message("login")/]
  [@helpers.body]
    <main class="brand">
      <h1>${theme.message("login")}</h1>
      [@helpers.main]
        <form action="${request.contextPath}/oauth2/authorize" method="POST">
          [@helpers.oauthHiddenFields/]
          [@helpers.input type="text" name="loginId" id="loginId" autofocus=true/]
          [@helpers.input type="password" name="password" id="password"/]
          [@helpers.button text=theme.message("submit")/]
        </form>
      [/@helpers.main]
    </main>
  [/@helpers.body]
[/@helpers]
