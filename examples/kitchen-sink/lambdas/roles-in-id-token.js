// Puts the user's roles in this application into the id token, for the single-page app's menus.
function populate(jwt, user, registration) {
  jwt.roles = registration.roles || [];
}
