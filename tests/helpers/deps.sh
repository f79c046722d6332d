#!/bin/sh
# SPDX-License-Identifier: ISC
# make deps: install from Debian's packages whatever is missing (run as root).
set -eu
pkgs="build-essential pkg-config libsodium-dev libcurl4-openssl-dev
libjansson-dev bats bats-assert bats-support jq openssl python3 procps
postgresql postgresql-client clang libclang-rt-14-dev util-linux psmisc
iproute2 curl xxd time shellcheck chromium bc strace python3-pygments
bsdextrautils python3-yaml python3-markupsafe python3-jinja2 gdb
python3-cryptography python3-rich php-cli libhtml-parser-perl python3-jwt node-lodash
node-mustache node-underscore ruby ruby-rack golang-go rustc tcpdump
golang-github-davecgh-go-spew-dev golang-github-stretchr-testify-dev hexyl
python3-pytest oathtool python3-pyotp bash-builtins
python3-base58 base58 openssh-client socat ldap-utils snmp
python3-sqlalchemy libgoogle-gson-java valgrind python3-django
node-serialize-javascript tshark libyaml-libyaml-perl python3-aiohttp
node-axios python3-numpy lldb python3-protobuf chai
libcommons-lang3-java elixir r-base-core hugs python3-httpx python3-flask
redis-server xmlstarlet docker-compose mariadb-server
python3-pandas sqlite3 python3-requests python3-structlog php-twig
ruby-activesupport liburi-perl libmojolicious-perl
libdata-dump-perl libyaml-perl"
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
# one dpkg-query for them all (one a package cost a second of CPU on
# every make test): the installed ones' names
# shellcheck disable=SC2086 # the names are words
installed=" $(dpkg-query -W -f='${Package} ${Status}\n' $pkgs 2>/dev/null |
	sed -n 's/ [a-z]* ok installed$//p' | tr '\n' ' ')"
missing=""
for p in $pkgs; do
	case "$installed" in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run make deps as root)" >&2
	exit 111
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
