/*
 * test-twitch.c: the Twitch decoder, table-driven.
 *
 * - a sample of real lines per command (taken from ../shared/vectors, the
 *   upstream test suites' captures) with every field a user would see
 *   asserted;
 * - twitch_emotes_parse(): code points to bytes over emoji and CJK text,
 *   overlapping, reversed, past-the-end and garbage ranges, more than
 *   TWITCH_MAX_EMOTES;
 * - the scratch buffer: zero-copy when nothing needs unescaping, cut short
 *   and never overrun when it is too small;
 * - every line of tests/data/twitch-sample.txt and, when the checkout has
 *   it, of ../shared/vectors/twitch-lines (skipped with a note in a tarball
 *   build) decodes, with what the single tag pass found checked against
 *   irc_tag_get() on the same line.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "irc.h"
#include "tap.h"
#include "twitch.h"

#define LINE_MAX_TEST	(IRC_MAX_TAGS + IRC_MAX_REST_TWITCH + 64)
#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/*
 * One line and what its event must hold. Strings: NULL is not checked, ""
 * must be empty. badges are "name/version" joined by ','; emotes are
 * "id@start-end" (bytes of the text) joined by ','. The numbers are always
 * checked (0 when not given); room fields only for ROOMSTATE.
 */
struct want {
	const char	*name;
	const char	*line;
	enum twitch_kind kind;
	const char	*channel, *login, *display_name, *text;
	const char	*id, *user_id, *room_id;
	const char	*msg_id, *system_msg, *recipient;
	const char	*target, *target_user_id, *target_msg_id, *list;
	const char	*reply_msg_id, *reply_login, *reply_display_name;
	const char	*reply_body;
	const char	*badges, *emotes;
	long long	 sent_ms;
	unsigned	 flags;
	int		 has_color;
	unsigned	 color;
	int		 sub_months;
	long		 bits, months, viewers, gift_count, ban_duration;
	unsigned	 present;
	int		 emote_only, followers, r9k, slow, subs_only;
};

#define F_SUB	TWITCH_F_SUBSCRIBER

static const struct want cases[] = {
	/* ---- PRIVMSG ---- */
	{ .name = "PRIVMSG plain", .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=;badges=;color=#0000FF;display-name=JuN1oRRRR;"
	    "emotes=;flags=;id=e9d998c3-36f1-430f-89ec-6b887c28af36;mod=0;"
	    "room-id=11148817;subscriber=0;tmi-sent-ts=1594545155039;turbo=0;"
	    "user-id=29803735;user-type= :jun1orrrr!jun1orrrr@jun1orrrr.tmi."
	    "twitch.tv PRIVMSG #pajlada :dank cam",
	  .channel = "pajlada", .login = "jun1orrrr",
	  .display_name = "JuN1oRRRR", .text = "dank cam",
	  .id = "e9d998c3-36f1-430f-89ec-6b887c28af36",
	  .user_id = "29803735", .room_id = "11148817", .badges = "",
	  .emotes = "", .msg_id = "", .target = "", .list = "",
	  .reply_msg_id = "", .sent_ms = 1594545155039LL,
	  .has_color = 1, .color = 0x0000ff },
	{ .name = "PRIVMSG /me, emote-only, broadcaster", .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=subscriber/80;badges=broadcaster/1,subscriber/"
	    "3072,partner/1;color=#CC44FF;display-name=pajlada;emote-only=1;"
	    "emotes=25:0-4;first-msg=0;flags=;id=90ef1e46-8baa-4bf2-9c54-"
	    "272f39d6fa11;mod=0;returning-chatter=0;room-id=11148817;"
	    "subscriber=1;tmi-sent-ts=1662206235860;turbo=0;user-id=11148817;"
	    "user-type= :pajlada!pajlada@pajlada.tmi.twitch.tv PRIVMSG "
	    "#pajlada :\001ACTION Kappa\001",
	  .channel = "pajlada", .login = "pajlada", .display_name = "pajlada",
	  .text = "Kappa", .id = "90ef1e46-8baa-4bf2-9c54-272f39d6fa11",
	  .badges = "broadcaster/1,subscriber/3072,partner/1",
	  .emotes = "25@0-5", .sent_ms = 1662206235860LL,
	  .flags = TWITCH_F_ACTION | TWITCH_F_EMOTE_ONLY |
	    TWITCH_F_BROADCASTER | F_SUB,
	  .has_color = 1, .color = 0xcc44ff, .sub_months = 80 },
	{ .name = "PRIVMSG /me: emotes count after \"\\001ACTION \"",
	  .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=subscriber/13;badges=subscriber/12,glhf-pledge/1;"
	    "color=#19E6E6;display-name=randers;emote-only=1;emotes=25:0-4/"
	    "1902:6-10/88:12-19;flags=;id=bc4e1af8-2226-4e2a-8b18-90b05edfb01e;"
	    "mod=0;room-id=22484632;subscriber=1;tmi-sent-ts=1566133801254;"
	    "turbo=0;user-id=40286300;user-type= :randers!randers@randers.tmi."
	    "twitch.tv PRIVMSG #forsen :\001ACTION Kappa Keepo PogChamp\001",
	  .channel = "forsen", .login = "randers", .text = "Kappa Keepo PogChamp",
	  .emotes = "25@0-5,1902@6-11,88@12-20",
	  .badges = "subscriber/12,glhf-pledge/1", .sent_ms = 1566133801254LL,
	  .flags = TWITCH_F_ACTION | TWITCH_F_EMOTE_ONLY | F_SUB,
	  .has_color = 1, .color = 0x19e6e6, .sub_months = 13 },
	{ .name = "PRIVMSG /me without the closing \\001",
	  .kind = TWITCH_PRIVMSG,
	  .line = ":tmi.twitch.tv PRIVMSG #local7000 :\001ACTION Hello :)",
	  .channel = "local7000", .login = "", .text = "Hello :)",
	  .flags = TWITCH_F_ACTION },
	{ .name = "PRIVMSG empty /me", .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=;badges=;color=;display-name=a;emotes=;flags=;"
	    "id=1;mod=0;room-id=1;subscriber=0;tmi-sent-ts=1;turbo=0;user-id=2;"
	    "user-type= :a!a@a.tmi.twitch.tv PRIVMSG #pajlada :\001ACTION\001",
	  .channel = "pajlada", .login = "a", .text = "", .sent_ms = 1,
	  .flags = TWITCH_F_ACTION },
	{ .name = "PRIVMSG bits, moderator", .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=subscriber/4;badges=moderator/1,subscriber/3,"
	    "sub-gifter/5;bits=2;color=#FF0000;display-name=69_faith_420;"
	    "emotes=;flags=;id=c5fd49c7-ecbc-46dd-a790-c9f10fdaaa67;mod=1;"
	    "room-id=111448817;subscriber=1;tmi-sent-ts=1567282184553;turbo=0;"
	    "user-id=125608098;user-type=mod :69_faith_420!69_faith_420@"
	    "69_faith_420.tmi.twitch.tv PRIVMSG #pajlada :cheer2 Stop what? "
	    "I'm not doing anything.",
	  .channel = "pajlada", .login = "69_faith_420",
	  .display_name = "69_faith_420",
	  .text = "cheer2 Stop what? I'm not doing anything.",
	  .id = "c5fd49c7-ecbc-46dd-a790-c9f10fdaaa67", .user_id = "125608098",
	  .room_id = "111448817",
	  .badges = "moderator/1,subscriber/3,sub-gifter/5",
	  .sent_ms = 1567282184553LL, .flags = TWITCH_F_MOD | F_SUB,
	  .has_color = 1, .color = 0xff0000, .sub_months = 4, .bits = 2 },
	{ .name = "PRIVMSG reply (reply-parent-* unescaped)",
	  .kind = TWITCH_PRIVMSG,
	  .line = "@tmi-sent-ts=1726690731517;subscriber=1;id=997cb8fa-4d24-411b-"
	    "a5cd-433e515a5b72;room-id=11148817;user-id=129546453;display-name="
	    "nerixyz;badges=subscriber/24;badge-info=subscriber/27;color="
	    "#FF0000;flags=;user-type=;emotes=;reply-parent-display-name="
	    "nerixyz;reply-parent-user-login=nerixyz;reply-thread-parent-user-"
	    "id=129546453;reply-parent-msg-body=@nerixyz\\sb;reply-parent-user-"
	    "id=129546453;reply-thread-parent-display-name=nerixyz;reply-"
	    "thread-parent-msg-id=72d76cb2-f34d-4a93-8005-61bf244456ee;reply-"
	    "thread-parent-user-login=nerixyz;reply-parent-msg-id=474f19ab-"
	    "a1b0-410a-877a-5b0e2ae8be6d :nerixyz!nerixyz@nerixyz.tmi.twitch.tv"
	    " PRIVMSG #pajlada :@nerixyz c",
	  .channel = "pajlada", .login = "nerixyz", .text = "@nerixyz c",
	  .id = "997cb8fa-4d24-411b-a5cd-433e515a5b72",
	  .reply_msg_id = "474f19ab-a1b0-410a-877a-5b0e2ae8be6d",
	  .reply_login = "nerixyz", .reply_display_name = "nerixyz",
	  .reply_body = "@nerixyz b", .badges = "subscriber/24",
	  .sent_ms = 1726690731517LL, .flags = TWITCH_F_REPLY | F_SUB,
	  .has_color = 1, .color = 0xff0000, .sub_months = 27 },
	{ .name = "PRIVMSG first-msg, emote-only", .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=;badges=glhf-pledge/1;client-nonce=5d2627b0cbe56fa"
	    "05faf5420def4807d;color=#1E90FF;display-name=oldcoeur;emote-only=1;"
	    "emotes=84608:0-7;first-msg=1;flags=;id=7412fea4-8683-4cc9-a506-"
	    "4228127a5c2d;mod=0;room-id=11148817;subscriber=0;tmi-sent-ts="
	    "1623429859222;turbo=0;user-id=139147886;user-type= :oldcoeur!"
	    "oldcoeur@oldcoeur.tmi.twitch.tv PRIVMSG #pajlada :cmonBruh",
	  .channel = "pajlada", .login = "oldcoeur", .text = "cmonBruh",
	  .badges = "glhf-pledge/1", .emotes = "84608@0-8",
	  .sent_ms = 1623429859222LL,
	  .flags = TWITCH_F_FIRST_MSG | TWITCH_F_EMOTE_ONLY,
	  .has_color = 1, .color = 0x1e90ff },
	{ .name = "PRIVMSG emotes after an emoji", .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=subscriber/80;badges=broadcaster/1,subscriber/"
	    "3072,partner/1;color=#CC44FF;display-name=pajlada;emotes=25:0-4,"
	    "8-12;first-msg=0;flags=;id=44f85d39-b5fb-475d-8555-f4244f2f7e82;"
	    "mod=0;returning-chatter=0;room-id=11148817;subscriber=1;"
	    "tmi-sent-ts=1662204423418;turbo=0;user-id=11148817;user-type= "
	    ":pajlada!pajlada@pajlada.tmi.twitch.tv PRIVMSG #pajlada :"
	    "Kappa \xf0\x9f\x98\x82 Kappa",
	  .text = "Kappa \xf0\x9f\x98\x82 Kappa", .emotes = "25@0-5,25@11-16",
	  .badges = "broadcaster/1,subscriber/3072,partner/1",
	  .sent_ms = 1662204423418LL, .flags = TWITCH_F_BROADCASTER | F_SUB,
	  .has_color = 1, .color = 0xcc44ff, .sub_months = 80 },
	{ .name = "PRIVMSG three emote ids around two emoji",
	  .kind = TWITCH_PRIVMSG,
	  .line = "@tmi-sent-ts=1726868573676;subscriber=1;id=23c8b81c-7c73-44e4-"
	    "84f1-7d37e99714e4;room-id=11148817;user-id=129546453;display-name="
	    "nerixyz;badges=subscriber/24;badge-info=subscriber/27;color="
	    "#FF0000;flags=;user-type=;emotes=25:10-14/305954156:50-57/1902:"
	    "69-73 :nerixyz!nerixyz@nerixyz.tmi.twitch.tv PRIVMSG #pajlada :"
	    "BTTVEmote Kappa 7TVEmote 7TVEmote0w 7TVEmote0w "
	    "\xf0\x9f\x98\x82\xf0\x9f\x98\x82 PogChamp 7TVGlobal Keepo "
	    "FFZEmote FFZGlobal",
	  .emotes = "25@10-15,305954156@56-64,1902@75-80",
	  .badges = "subscriber/24", .sent_ms = 1726868573676LL, .flags = F_SUB,
	  .has_color = 1, .color = 0xff0000, .sub_months = 27 },
	{ .name = "PRIVMSG Korean display-name, emotes", .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=subscriber/34;badges=moderator/1,subscriber/24;"
	    "color=#FF0000;display-name=\xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8"
	    "\xea\xb3\x84\xec\xa0\x95" "420;emotes=41:6-13,16-23;flags=;"
	    "id=97c28382-e8d2-45a0-bb5d-2305fc4ef139;mod=1;room-id=11148817;"
	    "subscriber=1;tmi-sent-ts=1590922036771;turbo=0;user-id=117166826;"
	    "user-type=mod :testaccount_420!testaccount_420@testaccount_420."
	    "tmi.twitch.tv PRIVMSG #pajlada :-tags Kreygasm, Kreygasm",
	  .login = "testaccount_420",
	  .display_name = "\xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8\xea\xb3\x84"
	    "\xec\xa0\x95" "420",
	  .text = "-tags Kreygasm, Kreygasm", .emotes = "41@6-14,41@16-24",
	  .sent_ms = 1590922036771LL, .flags = TWITCH_F_MOD | F_SUB,
	  .has_color = 1, .color = 0xff0000, .sub_months = 34 },
	{ .name = "PRIVMSG emote range past the end is dropped",
	  .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=subscriber/3;badges=subscriber/3;color=#0000FF;"
	    "display-name=Linkoping;emotes=25:40-44;flags=17-26:S.6;id=744f9c58-"
	    "b180-4f46-bd9e-b515b5ef75c1;mod=0;room-id=11148817;subscriber=1;"
	    "tmi-sent-ts=1566335866017;turbo=0;user-id=91673457;user-type= "
	    ":linkoping!linkoping@linkoping.tmi.twitch.tv PRIVMSG #pajlada :"
	    "D\xc3\xa5 kan du beg\xc3\xa4ra skadest\xc3\xa5nd och f\xc3\xb6rtal"
	    " Kappa",
	  .login = "linkoping", .emotes = "", .sent_ms = 1566335866017LL,
	  .flags = F_SUB, .has_color = 1, .color = 0x0000ff, .sub_months = 3 },
	{ .name = "PRIVMSG display-name with an escaped trailing space",
	  .kind = TWITCH_PRIVMSG,
	  .line = "@badges=;color=#00AD2B;display-name=Iamme420\\s;emotes=;"
	    "id=d47a1e4b-a3c6-4b9e-9bf1-51b8f3dbc76e;mod=0;room-id=11148817;"
	    "subscriber=0;tmi-sent-ts=1529670347537;turbo=0;user-id=56422869;"
	    "user-type= :iamme420!iamme420@iamme420.tmi.twitch.tv PRIVMSG "
	    "#pajlada :offline chat gachiBASS",
	  .login = "iamme420", .display_name = "Iamme420 ",
	  .text = "offline chat gachiBASS", .sent_ms = 1529670347537LL,
	  .has_color = 1, .color = 0x00ad2b },
	{ .name = "PRIVMSG prediction badge and bad colour (made up)",
	  .kind = TWITCH_PRIVMSG,
	  .line = "@badge-info=predictions/foo/bar,founder/17;badges=predictions"
	    "/blue-1/x,vip/1,founder/0;color=#12345G;login=someone;vip=0;"
	    "tmi-sent-ts=99999999999999999999 :x!x@x PRIVMSG #c :hi",
	  .login = "someone", .text = "hi",
	  .badges = "predictions/blue-1/x,vip/1,founder/0",
	  .flags = TWITCH_F_VIP | F_SUB, .sub_months = 17 },

	/* ---- USERNOTICE ---- */
	{ .name = "USERNOTICE sub", .kind = TWITCH_USERNOTICE,
	  .line = "@badge-info=subscriber/1;badges=subscriber/0;emotes=;"
	    "msg-param-sub-plan=1000;msg-param-months=0;mod=0;login=foly__;"
	    "room-id=11148817;flags=;user-id=441166175;msg-param-multimonth-"
	    "tenure=0;msg-param-should-share-streak=0;system-msg=foly__\\s"
	    "subscribed\\sat\\sTier\\s1.;msg-id=sub;display-name=foly__;"
	    "msg-param-sub-plan-name=Channel\\sSubscription\\s(k4sen);"
	    "user-type=;id=327249bb-81bc-4f87-8b43-c05720a2dd64;msg-param-was-"
	    "gifted=false;tmi-sent-ts=1728710962985;msg-param-cumulative-"
	    "months=1;vip=0;color=;subscriber=1;msg-param-multimonth-duration=6"
	    " :tmi.twitch.tv USERNOTICE #pajlada",
	  .channel = "pajlada", .login = "foly__", .display_name = "foly__",
	  .text = "", .msg_id = "sub",
	  .system_msg = "foly__ subscribed at Tier 1.",
	  .id = "327249bb-81bc-4f87-8b43-c05720a2dd64", .user_id = "441166175",
	  .room_id = "11148817", .badges = "subscriber/0",
	  .sent_ms = 1728710962985LL, .flags = F_SUB, .sub_months = 1,
	  .months = 1 },
	{ .name = "USERNOTICE resub with text, staff", .kind = TWITCH_USERNOTICE,
	  .line = "@badges=staff/1,broadcaster/1,turbo/1;color=#008000;"
	    "display-name=ronni;emotes=;id=db25007f-7a18-43eb-9379-80131e44d633;"
	    "login=ronni;mod=0;msg-id=resub;msg-param-months=6;msg-param-sub-"
	    "plan=Prime;msg-param-sub-plan-name=Prime;room-id=11148817;"
	    "subscriber=1;system-msg=ronni\\shas\\ssubscribed\\sfor\\s6\\s"
	    "months!;tmi-sent-ts=1507246572675;turbo=1;user-id=1337;user-type="
	    "staff :tmi.twitch.tv USERNOTICE #pajlada :Great stream -- keep it "
	    "up!",
	  .channel = "pajlada", .login = "ronni", .display_name = "ronni",
	  .text = "Great stream -- keep it up!", .msg_id = "resub",
	  .system_msg = "ronni has subscribed for 6 months!", .user_id = "1337",
	  .badges = "staff/1,broadcaster/1,turbo/1", .sent_ms = 1507246572675LL,
	  .flags = TWITCH_F_STAFF | TWITCH_F_BROADCASTER | TWITCH_F_TURBO |
	    F_SUB, .has_color = 1, .color = 0x008000, .months = 6 },
	{ .name = "USERNOTICE subgift", .kind = TWITCH_USERNOTICE,
	  .line = "@badges=staff/1,premium/1;color=#0000FF;display-name=TWW2;"
	    "emotes=;id=e9176cd8-5e22-4684-ad40-ce53c2561c5e;login=tww2;mod=0;"
	    "msg-id=subgift;msg-param-months=1;msg-param-recipient-display-name"
	    "=Mr_Woodchuck;msg-param-recipient-id=89614178;msg-param-recipient-"
	    "name=mr_woodchuck;msg-param-sub-plan-name=House\\sof\\sNyoro~n;"
	    "msg-param-sub-plan=1000;room-id=19571752;subscriber=0;system-msg="
	    "TWW2\\sgifted\\sa\\sTier\\s1\\ssub\\sto\\sMr_Woodchuck!;"
	    "tmi-sent-ts=1521159445153;turbo=0;user-id=13405587;user-type=staff"
	    " :tmi.twitch.tv USERNOTICE #pajlada",
	  .login = "tww2", .display_name = "TWW2", .text = "",
	  .msg_id = "subgift", .recipient = "Mr_Woodchuck",
	  .system_msg = "TWW2 gifted a Tier 1 sub to Mr_Woodchuck!",
	  .badges = "staff/1,premium/1", .sent_ms = 1521159445153LL,
	  .flags = TWITCH_F_STAFF, .has_color = 1, .color = 0x0000ff,
	  .months = 1 },
	{ .name = "USERNOTICE submysterygift", .kind = TWITCH_USERNOTICE,
	  .line = "@badge-info=;badges=sub-gifter/50;color=;display-name="
	    "AdamAtReflectStudios;emotes=;flags=;id=049e6371-7023-4fca-8605-"
	    "7dec60e72e12;login=adamatreflectstudios;mod=0;msg-id="
	    "submysterygift;msg-param-mass-gift-count=20;msg-param-origin-id="
	    "1f\\sbe\\sbb\\s4a\\s81\\s9a\\s65\\sd1\\s4b\\s77\\sf5\\s23\\s16\\s"
	    "4a\\sd3\\s13\\s09\\se7\\sbe\\s55;msg-param-sender-count=100;"
	    "msg-param-sub-plan=1000;room-id=71092938;subscriber=0;system-msg="
	    "AdamAtReflectStudios\\sis\\sgifting\\s20\\sTier\\s1\\sSubs\\sto\\s"
	    "xQcOW's\\scommunity!\\sThey've\\sgifted\\sa\\stotal\\sof\\s100\\s"
	    "in\\sthe\\schannel!;tmi-sent-ts=1594583777669;user-id=211711554;"
	    "user-type= :tmi.twitch.tv USERNOTICE #xqcow",
	  .channel = "xqcow", .login = "adamatreflectstudios",
	  .display_name = "AdamAtReflectStudios", .msg_id = "submysterygift",
	  .system_msg = "AdamAtReflectStudios is gifting 20 Tier 1 Subs to "
	    "xQcOW's community! They've gifted a total of 100 in the channel!",
	  .badges = "sub-gifter/50", .sent_ms = 1594583777669LL,
	  .gift_count = 20 },
	{ .name = "USERNOTICE raid", .kind = TWITCH_USERNOTICE,
	  .line = "@badges=subscriber/24;login=nerixyz;msg-param-displayName="
	    "nerixyz;user-type=;tmi-sent-ts=1729626466361;system-msg=2\\s"
	    "raiders\\sfrom\\snerixyz\\shave\\sjoined!;room-id=11148817;user-id="
	    "129546453;display-name=nerixyz;subscriber=1;historical=1;"
	    "rm-received-ts=1729626466492;msg-id=raid;vip=0;id=7299b7bc-61ce-"
	    "423c-85ce-8d651b56cce4;msg-param-login=nerixyz;color=#FF0000;"
	    "mod=0;msg-param-viewerCount=2;flags=;msg-param-profileImageURL="
	    "https://static-cdn.jtvnw.net/jtv_user_pictures/e065218b-49df-459d-"
	    "afd3-c6557870f551-profile_image-%s.png;emotes=;badge-info="
	    "subscriber/28 :tmi.twitch.tv USERNOTICE #pajlada",
	  .channel = "pajlada", .login = "nerixyz", .text = "", .msg_id = "raid",
	  .system_msg = "2 raiders from nerixyz have joined!",
	  .id = "7299b7bc-61ce-423c-85ce-8d651b56cce4",
	  .badges = "subscriber/24", .sent_ms = 1729626466361LL, .flags = F_SUB,
	  .has_color = 1, .color = 0xff0000, .sub_months = 28, .viewers = 2 },
	{ .name = "USERNOTICE announcement", .kind = TWITCH_USERNOTICE,
	  .line = "@badge-info=subscriber/47;badges=broadcaster/1,subscriber/"
	    "3012,twitchconAmsterdam2020/1;color=#FF0000;display-name=Supinic;"
	    "emotes=;flags=;id=8c26e1ab-b50c-4d9d-bc11-3fd57a941d90;login="
	    "supinic;mod=0;msg-id=announcement;msg-param-color=PRIMARY;"
	    "room-id=31400525;subscriber=1;system-msg=;tmi-sent-ts="
	    "1648762219962;user-id=31400525;user-type= :tmi.twitch.tv "
	    "USERNOTICE #supinic :mm test lol",
	  .channel = "supinic", .login = "supinic", .display_name = "Supinic",
	  .text = "mm test lol", .msg_id = "announcement", .system_msg = "",
	  .badges = "broadcaster/1,subscriber/3012,twitchconAmsterdam2020/1",
	  .sent_ms = 1648762219962LL, .flags = TWITCH_F_BROADCASTER | F_SUB,
	  .has_color = 1, .color = 0xff0000, .sub_months = 47 },
	{ .name = "USERNOTICE unknown msg-id (ritual) kept",
	  .kind = TWITCH_USERNOTICE,
	  .line = "@badges=;color=;display-name=FletcherCodes;emotes=64138:0-8;"
	    "flags=;id=e4090aa9-8079-41ff-904d-64c7a2193ee0;login=fletchercodes;"
	    "mod=0;msg-id=ritual;msg-param-ritual-name=new_chatter;room-id="
	    "408892348;subscriber=0;system-msg=@FletcherCodes\\sis\\snew\\s"
	    "here.\\sSay\\shello!;tmi-sent-ts=1551487438943;turbo=0;user-id="
	    "412636239;user-type= :tmi.twitch.tv USERNOTICE #clippyassistant "
	    ":SeemsGood",
	  .channel = "clippyassistant", .login = "fletchercodes",
	  .text = "SeemsGood", .msg_id = "ritual",
	  .system_msg = "@FletcherCodes is new here. Say hello!",
	  .emotes = "64138@0-9", .sent_ms = 1551487438943LL },

	/* ---- moderation ---- */
	{ .name = "CLEARCHAT ban", .kind = TWITCH_CLEARCHAT,
	  .line = "@room-id=408892348;target-user-id=269899575;tmi-sent-ts="
	    "1551538522968 :tmi.twitch.tv CLEARCHAT #clippyassistant "
	    ":fletchercodes",
	  .channel = "clippyassistant", .login = "", .target = "fletchercodes",
	  .target_user_id = "269899575", .room_id = "408892348",
	  .sent_ms = 1551538522968LL, .ban_duration = 0 },
	{ .name = "CLEARCHAT timeout (target not trailing)",
	  .kind = TWITCH_CLEARCHAT,
	  .line = "@target-user-id=141981764;ban-duration=600;historical=1;"
	    "room-id=111448817;rm-received-ts=1736968967915;tmi-sent-ts="
	    "1736968967813 :tmi.twitch.tv CLEARCHAT #pajlada twitchdev",
	  .channel = "pajlada", .target = "twitchdev",
	  .target_user_id = "141981764", .sent_ms = 1736968967813LL,
	  .ban_duration = 600 },
	{ .name = "CLEARCHAT whole chat", .kind = TWITCH_CLEARCHAT,
	  .line = "@tmi-sent-ts=1736678514028;room-id=11148817;badges=;"
	    "badge-info=;flags=;user-type=;emotes= :tmi.twitch.tv CLEARCHAT "
	    "#pajlada",
	  .channel = "pajlada", .target = "", .target_user_id = "",
	  .badges = "", .sent_ms = 1736678514028LL },
	{ .name = "CLEARMSG", .kind = TWITCH_CLEARMSG,
	  .line = "@tmi-sent-ts=1757929420105;room-id=111448817;target-msg-id="
	    "862716db-9a7c-4563-8480-af799769ae81;rm-received-ts=1757929420186;"
	    "login=kooby_ :tmi.twitch.tv CLEARMSG #pajlada sup",
	  .channel = "pajlada", .login = "kooby_", .target = "kooby_",
	  .target_msg_id = "862716db-9a7c-4563-8480-af799769ae81",
	  .text = "sup", .room_id = "111448817", .sent_ms = 1757929420105LL },

	/* ---- room and user state ---- */
	{ .name = "ROOMSTATE full", .kind = TWITCH_ROOMSTATE,
	  .line = "@broadcaster-lang=en;emote-only=0;followers-only=-1;r9k=1;"
	    "rituals=0;room-id=408892348;slow=0;subs-only=0 :tmi.twitch.tv "
	    "ROOMSTATE #clippyassistant",
	  .channel = "clippyassistant", .room_id = "408892348",
	  .present = TWITCH_ROOM_EMOTE_ONLY | TWITCH_ROOM_FOLLOWERS |
	    TWITCH_ROOM_R9K | TWITCH_ROOM_SLOW | TWITCH_ROOM_SUBS_ONLY,
	  .followers = -1, .r9k = 1 },
	{ .name = "ROOMSTATE partial: emote-only", .kind = TWITCH_ROOMSTATE,
	  .line = "@emote-only=1;room-id=40286300 :tmi.twitch.tv ROOMSTATE "
	    "#randers",
	  .channel = "randers", .room_id = "40286300",
	  .present = TWITCH_ROOM_EMOTE_ONLY, .emote_only = 1, .followers = -1 },
	{ .name = "ROOMSTATE partial: followers-only 10", .kind = TWITCH_ROOMSTATE,
	  .line = "@followers-only=10;room-id=408892348 :tmi.twitch.tv ROOMSTATE"
	    " #clippyassistant",
	  .present = TWITCH_ROOM_FOLLOWERS, .followers = 10 },
	{ .name = "ROOMSTATE partial: slow 10", .kind = TWITCH_ROOMSTATE,
	  .line = "@slow=10 :tmi.twitch.tv ROOMSTATE #gempir",
	  .channel = "gempir", .room_id = "", .present = TWITCH_ROOM_SLOW,
	  .followers = -1, .slow = 10 },
	{ .name = "USERSTATE moderator", .kind = TWITCH_USERSTATE,
	  .line = "@badges=moderator/1;color=;display-name=blahh;emote-sets=0;"
	    "mod=1;subscriber=0;user-type=mod :tmi.twitch.tv USERSTATE #nothing",
	  .channel = "nothing", .login = "", .display_name = "blahh",
	  .badges = "moderator/1", .flags = TWITCH_F_MOD },
	{ .name = "USERSTATE vip by badge only", .kind = TWITCH_USERSTATE,
	  .line = "@badge-info=;badges=vip/1;color=;display-name=x;emote-sets=0;"
	    "mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #c",
	  .channel = "c", .badges = "vip/1", .flags = TWITCH_F_VIP },
	{ .name = "GLOBALUSERSTATE", .kind = TWITCH_GLOBALUSERSTATE,
	  .line = "@badge-info=;badges=;color=#00FF7F;display-name=gempbot;"
	    "emote-sets=0,14417,300206298,300374282,300548762;user-id=99659894;"
	    "user-type= :tmi.twitch.tv GLOBALUSERSTATE",
	  .channel = "", .login = "", .display_name = "gempbot",
	  .user_id = "99659894", .badges = "", .has_color = 1,
	  .color = 0x00ff7f },

	/* ---- notices ---- */
	{ .name = "NOTICE msg_banned", .kind = TWITCH_NOTICE,
	  .line = "@msg-id=msg_banned :tmi.twitch.tv NOTICE #forsen :You are "
	    "permanently banned from talking in forsen.",
	  .channel = "forsen", .login = "", .msg_id = "msg_banned",
	  .text = "You are permanently banned from talking in forsen." },
	/* Not in the captures: the text of the official msg-id list. */
	{ .name = "NOTICE msg_ratelimit", .kind = TWITCH_NOTICE,
	  .line = "@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #forsen :Your "
	    "message was not sent because you are sending messages too "
	    "quickly.",
	  .channel = "forsen", .msg_id = "msg_ratelimit",
	  .text = "Your message was not sent because you are sending messages "
	    "too quickly." },
	{ .name = "NOTICE msg_duplicate", .kind = TWITCH_NOTICE,
	  .line = "@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #forsen :Your "
	    "message is identical to the one you sent less than 30 seconds "
	    "ago.",
	  .channel = "forsen", .msg_id = "msg_duplicate",
	  .text = "Your message is identical to the one you sent less than 30 "
	    "seconds ago." },
	{ .name = "NOTICE * login failure", .kind = TWITCH_NOTICE,
	  .line = ":tmi.twitch.tv NOTICE * :Login authentication failed",
	  .channel = "", .login = "", .msg_id = "",
	  .text = "Login authentication failed" },
	{ .name = "NOTICE * improperly formatted auth", .kind = TWITCH_NOTICE,
	  .line = ":tmi.twitch.tv NOTICE * :Improperly formatted auth",
	  .channel = "", .text = "Improperly formatted auth" },
	{ .name = "NOTICE with no target (made up)", .kind = TWITCH_NOTICE,
	  .line = ":tmi.twitch.tv NOTICE :Login unsuccessful",
	  .channel = "", .text = "Login unsuccessful" },
	{ .name = "HOSTTARGET", .kind = TWITCH_HOSTTARGET,
	  .line = ":tmi.twitch.tv HOSTTARGET #schmoopiie :schmoopiie 3",
	  .channel = "schmoopiie", .target = "schmoopiie", .viewers = 3 },
	{ .name = "HOSTTARGET end of hosting", .kind = TWITCH_HOSTTARGET,
	  .line = ":tmi.twitch.tv HOSTTARGET #randers :- 0",
	  .channel = "randers", .target = "" },

	/* ---- connection ---- */
	{ .name = "PING bare", .kind = TWITCH_PING,
	  .line = ":tmi.twitch.tv PING", .list = "" },
	{ .name = "PING token", .kind = TWITCH_PING,
	  .line = "PING :tmi.twitch.tv", .list = "tmi.twitch.tv" },
	{ .name = "PING two parameters: the last is echoed", .kind = TWITCH_PING,
	  .line = ":tmi.twitch.tv PING test :abc def", .list = "abc def" },
	{ .name = "PONG", .kind = TWITCH_PONG,
	  .line = ":tmi.twitch.tv PONG tmi.twitch.tv :argument test",
	  .list = "argument test" },
	{ .name = "RECONNECT", .kind = TWITCH_RECONNECT,
	  .line = ":tmi.twitch.tv RECONNECT", .channel = "", .text = "" },
	{ .name = "JOIN", .kind = TWITCH_JOIN,
	  .line = ":username123!username123@username123.tmi.twitch.tv JOIN "
	    "#mychannel",
	  .channel = "mychannel", .login = "username123" },
	{ .name = "PART", .kind = TWITCH_PART,
	  .line = ":username123!username123@username123.tmi.twitch.tv PART "
	    "#mychannel",
	  .channel = "mychannel", .login = "username123" },
	{ .name = "353 NAMES", .kind = TWITCH_NAMES,
	  .line = ":justinfan123123.tmi.twitch.tv 353 justinfan123123 = "
	    "#channel123 :username1 username2",
	  .channel = "channel123", .login = "", .list = "username1 username2" },
	{ .name = "366 end of NAMES", .kind = TWITCH_ENDOFNAMES,
	  .line = ":justinfan12345.tmi.twitch.tv 366 justinfan12345 #pajlada "
	    ":End of /NAMES list",
	  .channel = "pajlada", .text = "End of /NAMES list" },
	{ .name = "001 welcome", .kind = TWITCH_WELCOME,
	  .line = ":tmi.twitch.tv 001 justinfan123123 :Welcome, GLHF!",
	  .text = "Welcome, GLHF!" },
	{ .name = "376 end of MOTD", .kind = TWITCH_ENDOFMOTD,
	  .line = ":tmi.twitch.tv 376 schmoopiie :>", .text = ">" },
	{ .name = "CAP ACK", .kind = TWITCH_CAP,
	  .line = ":tmi.twitch.tv CAP * ACK :twitch.tv/commands twitch.tv/tags",
	  .list = "twitch.tv/commands twitch.tv/tags" },
	{ .name = "CAP NAK", .kind = TWITCH_CAP,
	  .line = ":tmi.twitch.tv CAP * NAK :invalid twitch.tv/invalid",
	  .list = "invalid twitch.tv/invalid", .flags = TWITCH_F_CAP_NAK },
	{ .name = "CAP LS is not ours", .kind = TWITCH_UNKNOWN,
	  .line = ":tmi.twitch.tv CAP * LS :twitch.tv/tags", .list = "" },
	{ .name = "WHISPER", .kind = TWITCH_WHISPER,
	  .line = "@badges=;color=#00FF7F;display-name=Danielps1;emotes=;"
	    "message-id=20;thread-id=32591953_77829817;turbo=0;user-id=32591953"
	    ";user-type= :danielps1!danielps1@danielps1.tmi.twitch.tv WHISPER "
	    "gempir :i like memes",
	  .channel = "", .login = "danielps1", .display_name = "Danielps1",
	  .text = "i like memes", .target = "gempir", .id = "20",
	  .user_id = "32591953", .badges = "", .has_color = 1,
	  .color = 0x00ff7f },
	{ .name = "unknown numeric", .kind = TWITCH_UNKNOWN,
	  .line = ":tmi.twitch.tv 421 justinfan1 WHO :Unknown command",
	  .channel = "", .login = "", .text = "" },
	{ .name = "unknown command with tags", .kind = TWITCH_UNKNOWN,
	  .line = "@id=x;display-name=A\\sB :tmi.twitch.tv FROBNICATE #c :x",
	  .id = "x", .display_name = "A B", .text = "" },
	{ .name = "lower-case command", .kind = TWITCH_PRIVMSG,
	  .line = ":a!a@a privmsg #c :hi", .channel = "c", .login = "a",
	  .text = "hi" },
};

static void
join_badges(const struct twitch_event *ev, char *buf, size_t sz)
{
	size_t	off = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < ev->nbadges && off < sz; i++)
		off += (size_t)snprintf(buf + off, sz - off, "%s%.*s%s%.*s",
		    i ? "," : "", (int)ev->badges[i].name.len,
		    ev->badges[i].name.p,
		    ev->badges[i].version.len ? "/" : "",
		    (int)ev->badges[i].version.len, ev->badges[i].version.p);
}

static void
join_emotes(const struct twitch_emote *e, int n, char *buf, size_t sz)
{
	size_t	off = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < n && off < sz; i++)
		off += (size_t)snprintf(buf + off, sz - off, "%s%.*s@%u-%u",
		    i ? "," : "", (int)e[i].id.len, e[i].id.p,
		    (unsigned)e[i].start, (unsigned)e[i].end);
}

/* An empty span may have p NULL (as in irc.h). */
#define SPAN(field)							\
	if (w->field != NULL)						\
		span_is(ev.field, w->field, name_of(w, #field))

static void
span_is(struct irc_span sp, const char *want, const char *what)
{
	if (want[0] == '\0' && sp.len == 0)
		tap_ok(1, "%s", what);
	else
		tap_is_mem(sp.p, sp.len, want, what);
}

static const char *
name_of(const struct want *w, const char *field)
{
	static char	buf[256];

	snprintf(buf, sizeof buf, "%s: %s", w->name, field);
	return buf;
}

static void
check_case(const struct want *w)
{
	static char		 line[LINE_MAX_TEST];
	static char		 scratch[4096];
	struct irc_msg		 msg;
	struct twitch_event	 ev;
	char			 got[1024];
	int			 err;
	size_t			 len = strlen(w->line);

	memcpy(line, w->line, len + 1);
	if ((err = irc_parse(line, len, &msg)) != IRC_OK) {
		tap_ok(0, "%s: parses (%s)", w->name, irc_strerror(err));
		return;
	}
	tap_is_str(twitch_kind_name(twitch_decode(&msg, &ev, scratch,
	    sizeof scratch)), twitch_kind_name(w->kind), name_of(w, "kind"));
	tap_ok(ev.msg == &msg, "%s: msg", w->name);
	SPAN(channel); SPAN(login); SPAN(display_name); SPAN(text);
	SPAN(id); SPAN(user_id); SPAN(room_id);
	SPAN(msg_id); SPAN(system_msg); SPAN(recipient);
	SPAN(target); SPAN(target_user_id); SPAN(target_msg_id); SPAN(list);
	SPAN(reply_msg_id); SPAN(reply_login); SPAN(reply_display_name);
	SPAN(reply_body);
	if (w->badges != NULL) {
		join_badges(&ev, got, sizeof got);
		tap_is_str(got, w->badges, name_of(w, "badges"));
	}
	if (w->emotes != NULL) {
		join_emotes(ev.emotes, ev.nemotes, got, sizeof got);
		tap_is_str(got, w->emotes, name_of(w, "emotes"));
	}
	tap_is_int(ev.sent_ms, w->sent_ms, name_of(w, "sent_ms"));
	tap_is_int(ev.flags, w->flags, name_of(w, "flags"));
	tap_is_int(ev.has_color, w->has_color, name_of(w, "has_color"));
	if (w->has_color)
		tap_is_int(ev.color, w->color, name_of(w, "color"));
	tap_is_int(ev.sub_months, w->sub_months, name_of(w, "sub_months"));
	tap_is_int(ev.bits, w->bits, name_of(w, "bits"));
	tap_is_int(ev.months, w->months, name_of(w, "months"));
	tap_is_int(ev.viewers, w->viewers, name_of(w, "viewers"));
	tap_is_int(ev.gift_count, w->gift_count, name_of(w, "gift_count"));
	tap_is_int(ev.ban_duration, w->ban_duration,
	    name_of(w, "ban_duration"));
	tap_is_int(ev.room.present, w->present, name_of(w, "room.present"));
	if (w->kind == TWITCH_ROOMSTATE) {
		tap_is_int(ev.room.emote_only, w->emote_only,
		    name_of(w, "room.emote_only"));
		tap_is_int(ev.room.followers, w->followers,
		    name_of(w, "room.followers"));
		tap_is_int(ev.room.r9k, w->r9k, name_of(w, "room.r9k"));
		tap_is_int(ev.room.slow, w->slow, name_of(w, "room.slow"));
		tap_is_int(ev.room.subs_only, w->subs_only,
		    name_of(w, "room.subs_only"));
	}
}

static void
test_cases(void)
{
	size_t	i;

	for (i = 0; i < nitems(cases); i++)
		check_case(&cases[i]);
}

/* ---- twitch_emotes_parse ------------------------------------------------ */

static const struct {
	const char	*what;
	const char	*tag;
	const char	*text;
	int		 max;
	const char	*want;
} emote_cases[] = {
	{ "normal, two ids, out of order in the tag",
	  "1902:6-10/25:0-4,12-16", "Kappa Keepo Kappa", 64,
	  "25@0-5,1902@6-11,25@12-17" },
	{ "twitch-irc-rs test_emotes_1",
	  "1902:6-10,29-33,35-39/499:45-46,48-49/490:51-52/25:0-4,12-16,18-22",
	  "Kappa Keepo Kappa Kappa test Keepo Keepo 123 :) :) :P", 64,
	  "25@0-5,1902@6-11,25@12-17,25@18-23,1902@29-34,1902@35-40,"
	  "499@45-47,499@48-50,490@51-53" },
	{ "after emoji (twitch-irc-rs test_emote_after_emoji)",
	  "483:2-3,7-8,12-13",
	  "\xf0\x9f\x91\x89 <3 \xf0\x9f\x91\x89 <3 \xf0\x9f\x91\x89 <3", 64,
	  "483@5-7,483@13-15,483@21-23" },
	{ "dank-twitch-irc emoji line",
	  "25:2-6/1902:12-16/70433:22-30",
	  "\xf0\x9f\x8c\x9a Kappa \xf0\x9f\x8c\x9a \xf0\x9f\x90\x88 Keepo "
	  "\xf0\x9f\x90\x88 \xf0\x9f\x8e\xa8 KappaRoss \xf0\x9f\x8e\xa8", 64,
	  "25@5-10,1902@21-26,70433@37-46" },
	{ "CJK text (3 bytes a character)", "25:3-7",
	  "\xe4\xbd\xa0\xe5\xa5\xbd\xe3\x80\x80Kappa\xe5\x90\x97", 64,
	  "25@9-14" },
	{ "text ids", "emotesv2_4c3b4ed516de493bbcd2df2f5d450f49:0-3/"
	  "300196486_TK:5-6", "abcd ef", 64,
	  "emotesv2_4c3b4ed516de493bbcd2df2f5d450f49@0-4,300196486_TK@5-7" },
	{ "the last character", "1:4-4", "abcde", 64, "1@4-5" },
	{ "past the end dropped, the rest kept", "1:0-1,3-5", "abcde", 64,
	  "1@0-2" },
	{ "start past the end", "1:9-12", "abc", 64, "" },
	{ "reversed", "1:3-1/2:0-0", "abcd", 64, "2@0-1" },
	{ "overlapping: the first by start wins", "1:0-3/2:2-5/3:4-6",
	  "abcdefgh", 64, "1@0-4,3@4-7" },
	{ "same start twice", "1:0-1/2:0-1", "abc", 64, "1@0-2" },
	{ "garbage", "x", "abc", 64, "" },
	{ "garbage ranges", "1:a-b,1-,-2,--,0-1-2,4294967296-4294967297/:0-1/"
	  "2:0-1", "abc", 64, "2@0-2" },
	{ "malformed id (go-twitch-irc)", "80481_/3:7-14", "abcdefghijklmno",
	  64, "3@7-15" },
	{ "empty tag", "", "abc", 64, "" },
	{ "ranges are 32-bit, not wrapped", "1:4294967295-4294967295", "a",
	  64, "" },
	{ "max 2 keeps the first two by position", "1:4-4/2:2-2/3:0-0",
	  "abcde", 2, "3@0-1,2@2-3" },
	{ "invalid UTF-8 bytes count one each", "1:1-1", "\xff" "a\xc3", 64,
	  "1@1-2" },
};

static void
test_emotes(void)
{
	struct twitch_emote	 out[TWITCH_MAX_EMOTES + 1];
	char			 got[2048], tag[4096], text[1024];
	size_t			 i, off;
	int			 n, k, ok;

	for (i = 0; i < nitems(emote_cases); i++) {
		n = twitch_emotes_parse(emote_cases[i].tag,
		    strlen(emote_cases[i].tag), emote_cases[i].text,
		    strlen(emote_cases[i].text), out, emote_cases[i].max);
		join_emotes(out, n, got, sizeof got);
		tap_is_str(got, emote_cases[i].want, emote_cases[i].what);
	}

	/* 100 one-character emotes "a a a ...": the first 64 are kept, in
	 * order, and out[64] is never written. */
	off = 0;
	for (k = 0; k < 100; k++)
		off += (size_t)snprintf(tag + off, sizeof tag - off, "%s%d-%d",
		    k ? "," : "9:", 2 * (99 - k), 2 * (99 - k));
	for (k = 0; k < 100; k++) {
		text[2 * k] = 'a';
		text[2 * k + 1] = ' ';
	}
	text[199] = '\0';
	memset(&out[TWITCH_MAX_EMOTES], 0x5a, sizeof out[0]);
	n = twitch_emotes_parse(tag, off, text, 199, out, TWITCH_MAX_EMOTES);
	tap_is_int(n, TWITCH_MAX_EMOTES, "more than TWITCH_MAX_EMOTES: 64 kept");
	for (ok = 1, k = 0; k < n; k++)
		ok &= out[k].start == (uint32_t)(2 * k) &&
		    out[k].end == (uint32_t)(2 * k + 1);
	tap_ok(ok && out[TWITCH_MAX_EMOTES].start == 0x5a5a5a5a,
	    "more than TWITCH_MAX_EMOTES: the first 64 by position, no write "
	    "past max");
	tap_is_int(twitch_emotes_parse("1:0-0", 5, "", 0, out, 64), 0,
	    "empty text");
	tap_is_int(twitch_emotes_parse("1:0-0", 5, "a", 1, out, 0), 0,
	    "max 0");
}

/* ---- scratch ------------------------------------------------------------ */

static void
test_scratch(void)
{
	static const char src[] = "@display-name=A\\sB;system-msg=one\\stwo"
	    "\\sthree;id=plain;reply-parent-msg-body=x\\:y :tmi.twitch.tv "
	    "USERNOTICE #c";
	char			 line[sizeof src], scratch[16];
	struct irc_msg		 msg;
	struct twitch_event	 ev;

	memcpy(line, src, sizeof src);
	tap_ok(irc_parse(line, sizeof src - 1, &msg) == IRC_OK,
	    "scratch: parses");
	memset(scratch, 'Z', sizeof scratch);
	twitch_decode(&msg, &ev, scratch, 12);
	tap_ok(ev.id.p >= line && ev.id.p < line + sizeof src,
	    "scratch: a value without a backslash points into the line");
	tap_is_mem(ev.display_name.p, ev.display_name.len, "A B",
	    "scratch: unescaped into the buffer");
	tap_ok(ev.display_name.p == scratch, "scratch: first value at its "
	    "start");
	tap_is_mem(ev.system_msg.p, ev.system_msg.len, "one two",
	    "scratch: cut short when it runs out");
	tap_is_int(ev.reply_body.len, 0, "scratch: nothing left, empty");
	tap_ok(scratch[12] == 'Z' && scratch[15] == 'Z',
	    "scratch: never written past its size");

	memcpy(line, src, sizeof src);
	irc_parse(line, sizeof src - 1, &msg);
	twitch_decode(&msg, &ev, NULL, 0);
	tap_is_int(ev.display_name.len + ev.system_msg.len, 0,
	    "no scratch: escaped values empty");
	tap_is_mem(ev.id.p, ev.id.len, "plain", "no scratch: plain values "
	    "kept");

	/* Cut short, never inside a character: 4 bytes of room hold one
	 * Hangul syllable (3 bytes), not a piece of the second. */
	{
		char	l2[] = "@display-name=\xed\x85\x8c\xec\x8a\xa4\\s "
		    ":a!a@a PRIVMSG #c :x";

		irc_parse(l2, strlen(l2), &msg);
		twitch_decode(&msg, &ev, scratch, 5);
		tap_is_mem(ev.display_name.p, ev.display_name.len,
		    "\xed\x85\x8c", "scratch: cut on a character boundary");
	}
	tap_is_str(twitch_kind_name(TWITCH_KIND_COUNT), "UNKNOWN",
	    "kind name out of range");
	tap_is_str(twitch_kind_name(TWITCH_ENDOFMOTD), "ENDOFMOTD",
	    "kind name");
	tap_ok(twitch_has_badge(&ev, "moderator") == 0, "has_badge: none");
}

/* Badges split on the first '/' only; badge-info founder/N counts when
 * there is no subscriber/N. */
static void
test_badges(void)
{
	static const char src[] = "@badge-info=predictions/foo/bar,founder/17;"
	    "badges=predictions/blue-1/x,vip/1,,founder/0,noversion :x!x@x "
	    "PRIVMSG #c :hi";
	char			 line[sizeof src];
	struct irc_msg		 msg;
	struct twitch_event	 ev;

	memcpy(line, src, sizeof src);
	irc_parse(line, sizeof src - 1, &msg);
	twitch_decode(&msg, &ev, NULL, 0);
	tap_is_int(ev.nbadges, 4, "badges: empty entry skipped");
	tap_is_mem(ev.badges[0].name.p, ev.badges[0].name.len, "predictions",
	    "badges: name before the first '/'");
	tap_is_mem(ev.badges[0].version.p, ev.badges[0].version.len,
	    "blue-1/x", "badges: version keeps later '/'");
	tap_is_mem(ev.badges[3].name.p, ev.badges[3].name.len, "noversion",
	    "badges: no '/' is a name");
	tap_is_int(ev.badges[3].version.len, 0, "badges: ... with no version");
	tap_ok(twitch_has_badge(&ev, "vip") && twitch_has_badge(&ev,
	    "founder") && !twitch_has_badge(&ev, "moderator") &&
	    !twitch_has_badge(&ev, "predictions/blue-1"), "has_badge");
	tap_is_int(ev.sub_months, 17, "badge-info: founder months");
}

/* More badges than TWITCH_MAX_BADGES: the rest are dropped, their flags
 * still count. */
static void
test_many_badges(void)
{
	char			 line[1024];
	struct irc_msg		 msg;
	struct twitch_event	 ev;
	size_t			 off;
	int			 i;

	off = (size_t)snprintf(line, sizeof line, "@badges=");
	for (i = 0; i < TWITCH_MAX_BADGES + 3; i++)
		off += (size_t)snprintf(line + off, sizeof line - off,
		    "b%d/1,", i);
	snprintf(line + off, sizeof line - off, "moderator/1 :a!a@a PRIVMSG "
	    "#c :x");
	irc_parse(line, strlen(line), &msg);
	twitch_decode(&msg, &ev, NULL, 0);
	tap_is_int(ev.nbadges, TWITCH_MAX_BADGES, "badges: capped");
	tap_ok(ev.flags & TWITCH_F_MOD, "badges: flags from past the cap");
}

/* Numbers: bounded, checked, never atoi. */
static void
test_numbers(void)
{
	static const struct {
		const char	*tags;
		long long	 sent_ms;
		long		 bits;
	} nums[] = {
		{ "tmi-sent-ts=9223372036854775807;bits=2147483647",
		  9223372036854775807LL, 2147483647L },
		{ "tmi-sent-ts=9223372036854775808;bits=2147483648", 0, 0 },
		{ "tmi-sent-ts=-5;bits=-1", 0, 0 },
		{ "tmi-sent-ts=12a;bits= 1", 0, 0 },
		{ "tmi-sent-ts=;bits=", 0, 0 },
		{ "tmi-sent-ts=1;tmi-sent-ts=2;bits=007", 2, 7 },
	};
	char			 line[256];
	struct irc_msg		 msg;
	struct twitch_event	 ev;
	size_t			 i;

	for (i = 0; i < nitems(nums); i++) {
		snprintf(line, sizeof line, "@%s :a!a@a PRIVMSG #c :x",
		    nums[i].tags);
		irc_parse(line, strlen(line), &msg);
		twitch_decode(&msg, &ev, NULL, 0);
		tap_ok(ev.sent_ms == nums[i].sent_ms && ev.bits == nums[i].bits,
		    "numbers: %s -> %lld, %ld", nums[i].tags,
		    (long long)ev.sent_ms, ev.bits);
	}
}

static int	access_ok(const char *);

/* ---- every captured line ------------------------------------------------ */

struct sweep {
	int	 lines, refused, decoded, unknown, wrong;
	int	 kinds[TWITCH_KIND_COUNT];
};

/* sp equals the tag looked up the slow way (unescaped), or is empty when
 * the tag is absent. */
static int
same_as_tag(const struct irc_msg *msg, const char *key, struct irc_span sp)
{
	struct irc_span	v;
	char		buf[LINE_MAX_TEST];
	size_t		n;

	if (!irc_tag_get(msg, key, &v))
		return sp.len == 0;
	n = irc_tag_unescape(v.p, v.len, buf, sizeof buf);
	return n == sp.len && memcmp(buf, sp.p, n) == 0;
}

/* What the single pass decoded agrees with irc_tag_get(), the emotes are
 * sorted and inside the text, and every span lies in the line or in the
 * scratch buffer. */
static int
sweep_check(const struct irc_msg *msg, const struct twitch_event *ev,
    const char *lo, const char *hi, const char *slo, const char *shi)
{
	const struct irc_span	*spans[] = { &ev->channel, &ev->login,
	    &ev->display_name, &ev->text, &ev->id, &ev->user_id, &ev->room_id,
	    &ev->msg_id, &ev->system_msg, &ev->target, &ev->target_msg_id,
	    &ev->list, &ev->reply_body, &ev->recipient };
	struct irc_span		 v;
	size_t			 i;
	int			 k;

	for (i = 0; i < nitems(spans); i++)
		if (spans[i]->len > 0 && !((spans[i]->p >= lo &&
		    spans[i]->p + spans[i]->len <= hi) ||
		    (spans[i]->p >= slo && spans[i]->p + spans[i]->len <= shi)))
			return 0;
	if (!same_as_tag(msg, "display-name", ev->display_name) ||
	    !same_as_tag(msg, "room-id", ev->room_id) ||
	    !same_as_tag(msg, "user-id", ev->user_id) ||
	    !same_as_tag(msg, "msg-id", ev->msg_id) ||
	    !same_as_tag(msg, "system-msg", ev->system_msg) ||
	    !same_as_tag(msg, "target-msg-id", ev->target_msg_id) ||
	    !same_as_tag(msg, "reply-parent-msg-body", ev->reply_body))
		return 0;
	if (ev->kind != TWITCH_WHISPER && !same_as_tag(msg, "id", ev->id))
		return 0;
	if (irc_tag_get(msg, "login", &v) && v.len > 0 &&
	    !same_as_tag(msg, "login", ev->login))
		return 0;
	if (irc_tag_get(msg, "badges", &v) && v.len > 0 &&
	    memchr(v.p, ',', v.len) == NULL && ev->nbadges != 1)
		return 0;
	for (k = 0; k < ev->nemotes; k++)
		if (ev->emotes[k].start >= ev->emotes[k].end ||
		    ev->emotes[k].end > ev->text.len ||
		    (k > 0 && ev->emotes[k - 1].end > ev->emotes[k].start))
			return 0;
	return 1;
}

static void
sweep_line(struct sweep *sw, const char *what, const char *src, size_t len)
{
	static char		 line[LINE_MAX_TEST + 2];
	static char		 scratch[4096], tiny[7];
	struct irc_msg		 msg;
	struct twitch_event	 ev;
	enum twitch_kind	 kind;

	while (len > 0 && (src[len - 1] == '\n' || src[len - 1] == '\r'))
		len--;
	if (len == 0 || src[0] == '#' || len > LINE_MAX_TEST)
		return;
	sw->lines++;
	memcpy(line, src, len);
	line[len] = '\0';
	if (irc_parse(line, len, &msg) != IRC_OK) {
		sw->refused++;
		return;
	}
	twitch_decode(&msg, &ev, scratch, sizeof scratch);
	sw->decoded++;
	sw->kinds[ev.kind]++;
	if (ev.kind == TWITCH_UNKNOWN)
		sw->unknown++;
	if (!sweep_check(&msg, &ev, line, line + len + 1, scratch,
	    scratch + sizeof scratch)) {
		if (sw->wrong++ < 5)
			tap_diag("%s: decoded wrong: %.200s", what, src);
	}
	/* A scratch buffer far too small must not change the kind, and what
	 * lands in it fits. */
	kind = ev.kind;
	if (twitch_decode(&msg, &ev, tiny, sizeof tiny) != kind ||
	    (ev.display_name.p >= tiny && ev.display_name.p < tiny +
	    sizeof tiny && ev.display_name.p + ev.display_name.len >=
	    tiny + sizeof tiny)) {
		if (sw->wrong++ < 5)
			tap_diag("%s: tiny scratch: %.200s", what, src);
	}
}

static void
sweep_report(const struct sweep *sw, const char *what)
{
	char	kinds[512];
	size_t	off = 0;
	int	k;

	kinds[0] = '\0';
	for (k = 0; k < TWITCH_KIND_COUNT; k++)
		if (sw->kinds[k] > 0 && off < sizeof kinds)
			off += (size_t)snprintf(kinds + off, sizeof kinds - off,
			    " %s=%d", twitch_kind_name((enum twitch_kind)k),
			    sw->kinds[k]);
	tap_ok(sw->lines > 0 && sw->wrong == 0, "%s: %d lines, %d decoded, "
	    "%d refused by the parser, %d wrong", what, sw->lines, sw->decoded,
	    sw->refused, sw->wrong);
	tap_diag("  %s", kinds);
}

/* gzgets reads plain text as well as gzip. */
static int
sweep_file(const char *path, const char *what, int min_lines)
{
	static char	 buf[LINE_MAX_TEST + 2];
	struct sweep	 sw;
	gzFile		 gz;

	memset(&sw, 0, sizeof sw);
	if ((gz = gzopen(path, "rb")) == NULL)
		return -1;
	while (gzgets(gz, buf, sizeof buf) != NULL)
		sweep_line(&sw, what, buf, strlen(buf));
	gzclose(gz);
	sweep_report(&sw, what);
	if (min_lines > 0)
		tap_ok(sw.decoded >= min_lines, "%s: at least %d decoded",
		    what, min_lines);
	return 0;
}

static void
test_sweep(const char *top)
{
	static const char *const files[] = {
		"chatterino-chatterino2.txt",
		"gempir-go-twitch-irc.txt",
		"robotty-dank-twitch-irc.txt",
		"robotty-twitch-irc-rs.txt",
		"tmijs-tmi.js.txt",
	};
	char	path[4096];
	size_t	i;

	snprintf(path, sizeof path, "%s/tests/data/twitch-sample.txt", top);
	if (sweep_file(path, "twitch-sample.txt", 1) == -1)
		tap_ok(0, "cannot open %s", path);

	snprintf(path, sizeof path, "%s/../shared/vectors/twitch-lines/%s", top,
	    files[0]);
	if (access_ok(path) == 0) {
		tap_ok(1, "captured Twitch lines # SKIP %s/../shared/vectors "
		    "absent (a tarball build): not run", top);
		return;
	}
	for (i = 0; i < nitems(files); i++) {
		snprintf(path, sizeof path, "%s/../shared/vectors/twitch-lines/"
		    "%s", top, files[i]);
		if (sweep_file(path, files[i], 0) == -1)
			tap_ok(0, "cannot open %s", path);
	}
	snprintf(path, sizeof path, "%s/../shared/vectors/twitch-lines/"
	    "gempir-go-twitch-irc.channel-xqcow-2019.txt.gz", top);
	if (sweep_file(path, "xqcow 2019 corpus (.gz)", 5000) == -1)
		tap_ok(0, "cannot open %s", path);
}

static int
access_ok(const char *path)
{
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return 0;
	fclose(f);
	return 1;
}

/* TWITCH_DECODE_NO_EMOTES: the ranges are left out, nothing else changes. */
static void
test_decode_flags(void)
{
	static const char src[] = "@emotes=25:0-4,12-16;id=x;display-name=Ann"
	    " :ann!ann@ann.tmi.twitch.tv PRIVMSG #c :Kappa hello Kappa";
	char			 line[sizeof src], scratch[256];
	struct irc_msg		 msg;
	struct twitch_event	 ev;

	memcpy(line, src, sizeof src);
	irc_parse(line, sizeof src - 1, &msg);
	twitch_decode(&msg, &ev, scratch, sizeof scratch);
	tap_is_int(ev.nemotes, 2, "decode: both emote ranges");
	memcpy(line, src, sizeof src);
	irc_parse(line, sizeof src - 1, &msg);
	tap_is_int(twitch_decode_flags(&msg, &ev, scratch, sizeof scratch,
	    TWITCH_DECODE_NO_EMOTES), TWITCH_PRIVMSG,
	    "decode without emotes: still a PRIVMSG");
	tap_is_int(ev.nemotes, 0, "decode without emotes: no ranges");
	tap_is_mem(ev.text.p, ev.text.len, "Kappa hello Kappa",
	    "decode without emotes: the text");
	tap_is_mem(ev.display_name.p, ev.display_name.len, "Ann",
	    "decode without emotes: the other tags");
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");

	if (top == NULL)
		top = ".";
	test_cases();
	test_emotes();
	test_scratch();
	test_decode_flags();
	test_badges();
	test_many_badges();
	test_numbers();
	test_sweep(top);
	return tap_done();
}
