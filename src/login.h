/*
 * login.h: `stitch login` (the OAuth device code flow, then the token
 * stored; --check and --refresh for stored accounts) and `stitch logout`
 * (revoke, then delete).
 */
#ifndef STITCH_LOGIN_H
#define STITCH_LOGIN_H

/* argv[0] is "login" / "logout". Each returns the exit status. */
int	login_main(int argc, char **argv);
int	logout_main(int argc, char **argv);

#endif
