# What the benchmark scripts share; sourced (`. "$(dirname "$0")/bench-lib.sh"`) after they set their variables.
# Messages, the scratch directory and its removal at exit, the peers' environment, the /usr data set made once, and
# building the timetravel being measured.

BENCH_NAME=$(basename "$0" .sh)
die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

need_root() { [[ $(id -u) == 0 ]] || die "must run as root (to drop the page cache before each cold run)"; }

# WORK_DIR is emptied now and removed at exit (KEEP_WORK=1 leaves it); never a system directory or the data set.
# Further arguments are directories to make inside or beside it.
check_work_dir() {
    case $WORK_DIR in /|/var|/var/tmp|/tmp|"$DATA_DIR"|"$DATA_DIR"/*) die "refusing to use $WORK_DIR as the scratch directory";; esac
}
fresh_work_dir() {
    check_work_dir
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    rm -rf -- "$WORK_DIR"
    mkdir -p "$WORK_DIR" "$@"
}
bench_cleanup() {
    local rc=$?
    if [[ ${KEEP_WORK:-0} == 1 ]]; then log "keeping $WORK_DIR"; else rm -rf -- "$WORK_DIR"; fi
    exit $rc
}

# restic and borg keep their caches and settings in WORK_DIR, with no passphrase prompt.
peer_env() {
    export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR=$WORK_DIR/restic-cache
    export BORG_BASE_DIR=$WORK_DIR/borg-base BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
}

# The source tree: USR_PARTS copied into SRC once, kept in DATA_DIR for later runs (delete it to rebuild it).
USR_PARTS=${USR_PARTS:-"/usr/bin /usr/share /usr/lib/gcc /usr/lib/llvm-14 /usr/lib/python3 /usr/lib/python3.11 /usr/lib/postgresql /usr/lib/git-core /usr/lib/node_modules"}
usr_data_set() {
    [[ -e $DATA_DIR/.complete ]] && return
    log "copying $USR_PARTS into $SRC (once)"
    rm -rf -- "$SRC"; mkdir -p "$SRC"
    local p
    for p in $USR_PARTS; do
        [[ -e $p ]] || continue
        mkdir -p "$SRC$(dirname "$p")"
        cp -a "$p" "$SRC$(dirname "$p")/"
    done
    touch "$DATA_DIR/.complete"
}

# Publishes the timetravel CLI (AOT) to TT when there is none there; $1 is its scratch artifacts directory.
publish_tt() {
    [[ -x $TT ]] && return
    log "publishing timetravel (AOT) into $(dirname "$TT")"
    (cd "$(dirname "${BASH_SOURCE[0]}")/.." && TT_ARTIFACTS=$1 dotnet publish cli/timetravel/TimeTravel.Cli.csproj -c Release -r linux-x64 \
        -p:PublishAot=true -nologo -v quiet -o "$(dirname "$TT")" >&2) || die "cannot build $TT"
}

tt_has_command() { "$TT" --help | grep -qE "^  $1( |\$)"; }
