# shellcheck shell=bash
# Private, unprivileged-safe apt for fetching Debian packages and sources.
#
# Sourced by scripts/fetch-qemu, scripts/fetch-firmware, tests/guest/fetch-assets
# and tests/real-host/fetch-*.
# It never touches the system's apt configuration: every list, cache and
# configuration file lives under $DEBAPT_CACHE/apt-<suite>.  apt still does
# the verification (InRelease signature against the Debian archive keyring,
# then SHA256 of every downloaded file against the signed indices).
#
# The mirror is taken from the system's own apt sources (so a local mirror or
# proxy configuration is honoured) unless DEBIAN_MIRROR is set.

DEBAPT_CACHE=${DEBAPT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qemu-spapr-eeh}
DEBAPT_RETRIES=${DEBAPT_RETRIES:-4}

debapt_log() { printf '%s\n' "$*" >&2; }

# Print the first Debian archive URI configured on this system.
debapt_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then
        printf '%s\n' "$DEBIAN_MIRROR"
        return
    fi
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f" |
              grep -E '/debian/?$' | head -n 1)
        if [ -n "$uri" ]; then
            printf '%s\n' "${uri%/}"
            return
        fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        uri=$(awk '$1 == "deb" || $1 == "deb-src" {
                     for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f" |
              grep -E '/debian/?$' | head -n 1)
        if [ -n "$uri" ]; then
            printf '%s\n' "${uri%/}"
            return
        fi
    done
    return 1
}

debapt_keyring() {
    local k
    for k in /usr/share/keyrings/debian-archive-keyring.gpg \
             /usr/share/keyrings/debian-archive-keyring.pgp; do
        if [ -f "$k" ]; then
            printf '%s\n' "$k"
            return
        fi
    done
    return 1
}

# debapt_setup SUITE [ARCHS]: create the private apt tree for SUITE (binary
# indices for the space-separated ARCHS, default amd64) and refresh its
# indices, with retries.  Sets DEBAPT_CONF for debapt_run.
debapt_setup() {
    local suite=$1 archs=${2:-${DEBAPT_ARCHS:-amd64}} dir mirror keyring try a first archlist=""
    dir=$DEBAPT_CACHE/apt-$suite-${archs// /-}
    mirror=$(debapt_mirror) || {
        debapt_log "error: no Debian mirror found in /etc/apt/sources*; set DEBIAN_MIRROR"
        return 1
    }
    keyring=$(debapt_keyring) || {
        debapt_log "error: the Debian archive keyring is missing (apt-get install debian-archive-keyring)"
        return 1
    }
    mkdir -p "$dir/etc/sources.list.d" "$dir/etc/preferences.d" \
             "$dir/etc/apt.conf.d" "$dir/etc/trusted.gpg.d" \
             "$dir/state/lists/partial" "$dir/cache/archives/partial"
    : >>"$dir/state/status"
    cat >"$dir/etc/sources.list" <<EOF
deb [signed-by=$keyring] $mirror $suite main
deb-src [signed-by=$keyring] $mirror $suite main
deb [signed-by=$keyring] $mirror $suite-updates main
deb-src [signed-by=$keyring] $mirror $suite-updates main
EOF
    first=${archs%% *}
    for a in $archs; do
        archlist="$archlist\"$a\"; "
    done
    cat >"$dir/apt.conf" <<EOF
Dir::Etc "$dir/etc";
Dir::Etc::sourcelist "$dir/etc/sources.list";
Dir::Etc::sourceparts "$dir/etc/sources.list.d";
Dir::Etc::preferencesparts "$dir/etc/preferences.d";
Dir::Etc::parts "$dir/etc/apt.conf.d";
Dir::Etc::trustedparts "$dir/etc/trusted.gpg.d";
Dir::State "$dir/state";
Dir::State::status "$dir/state/status";
Dir::Cache "$dir/cache";
APT::Architecture "$first";
APT::Architectures { $archlist };
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Retries "3";
Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
EOF
    DEBAPT_CONF=$dir/apt.conf
    DEBAPT_DIR=$dir
    # Indices fetched within the last DEBAPT_MAX_AGE seconds are good enough
    if [ -n "$(find "$dir/update.stamp" -newermt \
                 "-${DEBAPT_MAX_AGE:-3600} seconds" 2>/dev/null)" ]; then
        return 0
    fi
    local valid=()
    for try in $(seq 1 "$DEBAPT_RETRIES"); do
        # A mirror caught mid-sync fails hash checks on the indices; a retry
        # a little later usually succeeds.
        APT_CONFIG=$DEBAPT_CONF apt-get -q "${valid[@]}" update \
            >"$dir/update.log" 2>&1 || true
        # A mirror that stopped syncing serves an expired Release file for
        # the development suites.  The signature and the hashes are still
        # checked; only the freshness promise is given up.
        if [ ${#valid[@]} -eq 0 ] &&
           grep -q "dists/$suite/InRelease is expired" "$dir/update.log"; then
            debapt_log "note: the mirror's $suite Release file has expired;" \
                       "using it anyway (signatures are still checked)"
            valid=(-o Acquire::Check-Valid-Until=false)
            APT_CONFIG=$DEBAPT_CONF apt-get -q "${valid[@]}" update \
                >"$dir/update.log" 2>&1 || true
        fi
        # The -updates pocket is optional; the main suite's indices are not.
        if ls "$dir/state/lists/"*"_dists_${suite}_main_source_Sources"* \
              "$dir/state/lists/"*"_dists_${suite}_main_binary-${first}_Packages"* \
              >/dev/null 2>&1 &&
           ! grep -q "dists/$suite/main/.*unexpected size\|dists/$suite/main/.*Hash Sum mismatch" \
              "$dir/update.log"; then
            touch "$dir/update.stamp"
            return 0
        fi
        debapt_log "apt update for '$suite' failed (try $try/$DEBAPT_RETRIES), see $dir/update.log"
        sleep $((try * 5))
    done
    return 1
}

debapt_run() {
    APT_CONFIG=$DEBAPT_CONF "$@"
}

# debapt_pick_version KIND PKG PATTERN: print the highest version of PKG
# (KIND=src: source package, KIND=bin: binary package) matching the extended
# regular expression PATTERN, as known to the current private apt.
debapt_pick_version() {
    local kind=$1 pkg=$2 pat=$3
    if [ "$kind" = src ]; then
        debapt_run apt-cache showsrc "$pkg" 2>/dev/null |
            awk -v p="$pkg" '/^Package:/ { ok = ($2 == p) } ok && /^Version:/ { print $2 }'
    else
        debapt_run apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'
    fi | grep -E "$pat" | sort -u | sort -V -r | {
        # sort -V is close to dpkg ordering; let dpkg settle the top entries.
        best=""
        while read -r v; do
            if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
                best=$v
            fi
        done
        [ -n "$best" ] && printf '%s\n' "$best"
    }
}

# debapt_with_suites "SUITES" FUNC ARGS...: run FUNC after setting up each
# suite in turn until it succeeds.
debapt_with_suites() {
    local suites=$1 s
    shift
    for s in $suites; do
        if debapt_setup "$s" && "$@"; then
            return 0
        fi
        debapt_log "could not get what was needed from suite '$s'"
    done
    return 1
}

# debapt_download PKG VER ARCH DIR: download PKG:ARCH=VER into DIR, with
# retries, and print the .deb's path.  A 404 is not retried: the index can
# name a version the pool no longer has (seen after point releases), and
# the caller then tries the next suite.
debapt_download() {
    local pkg=$1 ver=$2 arch=$3 dir=$4 try
    for try in 1 2 3; do
        if (cd "$dir" && debapt_run apt-get -q download "$pkg:$arch=$ver" \
                >"$dir/download-$pkg.log" 2>&1); then
            ls "$dir/${pkg}_"*"_$arch.deb"
            return 0
        fi
        if grep -qE '\b404 +Not Found' "$dir/download-$pkg.log"; then break; fi
        debapt_log "download of $pkg $ver failed (try $try/3)"
        sleep $((try * 3))
    done
    tail -n 3 "$dir/download-$pkg.log" >&2
    return 1
}

# debapt_fetch_busybox DIR VER: busybox-static:ppc64el VER, cached as
# DIR/busyboxes/VER/busybox; DIR/busybox points to it.
debapt_fetch_busybox() {
    local dir=$1 ver=$2 d tmp deb
    d=$dir/busyboxes/$ver
    if [ -s "$d/busybox" ]; then
        debapt_log "cached: $d/busybox"
    else
        tmp=$(mktemp -d "$dir/tmp.XXXXXX")
        deb=$(debapt_download busybox-static "$ver" ppc64el "$tmp") ||
            { rm -rf "$tmp"; return 1; }
        mkdir -p "$tmp/x"
        dpkg-deb -x "$deb" "$tmp/x"
        mkdir -p "$d"
        # /usr/bin/busybox in trixie, /bin/busybox before
        cp "$(find "$tmp/x" -path '*bin/busybox' -type f | head -n 1)" "$d/busybox"
        chmod 755 "$d/busybox"
        rm -rf "$tmp"
    fi
    ln -sfn "busyboxes/$ver/busybox" "$dir/busybox"
}
