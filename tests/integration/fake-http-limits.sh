#!/bin/sh
# fake-twitch Helix: Ratelimit headers on every reply, the token bucket
# per client and user (429 when empty, --helix-bucket and admin
# helix-bucket), the admin faults (500, 429, malformed JSON, slow) and
# the per-path request counters in "stats".
. "$top_srcdir/tests/integration/fake-http-lib.sh"
fake_http_start --helix-bucket 5

now=$(date +%s)
helix GET users tok-alice
[ "$(hdr Ratelimit-Limit)" = 5 ] && [ "$(hdr Ratelimit-Remaining)" = 4 ]
ok $? "Ratelimit-Limit and Ratelimit-Remaining on a reply"
reset=$(hdr Ratelimit-Reset)
[ "$reset" -ge "$now" ] && [ "$reset" -le $((now + 70)) ]
ok $? "Ratelimit-Reset is epoch seconds within a minute"
helix GET users tok-nosuch
[ "$(status)" = 401 ] && [ -n "$(hdr Ratelimit-Remaining)" ]
ok $? "a 401 carries the headers too"
for i in 1 2 3 4; do helix GET users tok-alice; done
[ "$(status)" = 200 ] && [ "$(hdr Ratelimit-Remaining)" = 0 ]
ok $? "five requests empty a bucket of five"
helix GET users tok-alice
is 429 'j' '{"error": "Too Many Requests", "status": 429, "message": "Too Many Requests"}' &&
    [ "$(hdr Ratelimit-Remaining)" = 0 ]
ok $? "the sixth: 429 with Twitch's body, Remaining 0"
helix GET users tok-carol
[ "$(status)" = 200 ]
ok $? "another user's bucket is untouched"
admin helix-bucket 50 > "$TEST_TMP/a"
helix GET users tok-alice
grep -q '^ok helix-bucket 50' "$TEST_TMP/a" && [ "$(status)" = 200 ] &&
    [ "$(hdr Ratelimit-Limit)" = 50 ] && [ "$(hdr Ratelimit-Remaining)" = 49 ]
ok $? "admin helix-bucket N refills every bucket to N"

# -- faults --
admin helix-fault 2 500 > "$TEST_TMP/a"
helix GET users tok-alice; s1=$(status)
helix GET users tok-alice; s2=$(status)
is 500 'j["status"]' 500 && [ "$s1" = 500 ]
ok $? "helix-fault 2 500: two replies are 500"
helix GET users tok-alice
[ "$(status)" = 200 ]
ok $? "then replies are normal again"
admin helix-fault 1 429 > /dev/null
helix GET users tok-alice
is 429 'j["message"]' "Too Many Requests"
ok $? "helix-fault 1 429"
admin helix-fault 1 malformed > /dev/null
helix GET users tok-alice
[ "$(status)" = 200 ] && ! js 'j' > /dev/null 2>&1 && grep -q '^{"data"' "$TEST_TMP/body"
ok $? "helix-fault malformed: a 200 whose JSON is cut short"
admin helix-fault 1 slow > /dev/null
t0=$(date +%s%N)
helix GET users tok-alice
t1=$(date +%s%N)
[ "$(status)" = 200 ] && [ $(( (t1 - t0) / 1000000 )) -ge 1900 ]
ok $? "helix-fault slow: the reply comes, two seconds late"
admin helix-fault 1 teapot > "$TEST_TMP/a"
grep -q '^err' "$TEST_TMP/a"
ok $? "an unknown fault kind is refused"

# -- counters --
admin stats > "$TEST_TMP/s"
grep -q '^stat http path=/helix/users method=GET requests=15$' "$TEST_TMP/s"
ok $? "stats: requests per path and method"
helix GET 'streams?user_login=alice' tok-alice
helix GET 'streams?user_login=alice' tok-alice
admin http-stats > "$TEST_TMP/s"
grep -q '^stat http path=/helix/streams method=GET requests=2$' "$TEST_TMP/s" &&
    grep -q '^ok http-stats' "$TEST_TMP/s"
ok $? "http-stats: the counters alone"
fake_http_stop tok-alice tok-carol tok-dave tok-noscope
done_testing
