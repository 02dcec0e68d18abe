// Puts the user's roles in this application into the access token.
function populate(jwt, user, registration) {
  jwt.roles = registration.roles || [];
}
