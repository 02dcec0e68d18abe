Your verification code is ${code}. It expires soon; do not share it.
