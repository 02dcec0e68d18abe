Hello ${user.firstName!"there"},

your Acme account is ready. Set your password here: ${url}
