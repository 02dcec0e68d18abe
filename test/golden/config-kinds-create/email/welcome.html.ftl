<p>Hello ${user.firstName!"there"},</p>
<p>your Acme account is ready. Set your password here:</p>
<p><a href="${url}">${url}</a></p>
