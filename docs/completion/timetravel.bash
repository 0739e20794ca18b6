# bash completion for timetravel(8) and yesterday(1): by subcommand and by argument position, so a SNAPSHOT
# place offers snapshot names, a PATH place offers files, and an option that takes a value offers what it takes.
# Install as /usr/share/bash-completion/completions/timetravel (and a link named yesterday).

# Snapshot names (and `latest`) of the store named on the command line: from `timetravel list`, or, for a user
# who may not read the store, from the names at the root of the mount.
_timetravel_snapshots() {
    local names
    names=$(timetravel "${_tt_store[@]}" list --json 2>/dev/null | sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p')
    if [ -z "$names" ]; then
        names=$(cd /backup/.snapshot 2>/dev/null && compgen -d -X '![0-9][0-9][0-9][0-9]-*')
    fi
    COMPREPLY=($(compgen -W "latest $names" -- "$cur"))
}

_timetravel_files() {
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
}

_timetravel_dirs() {
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -- "$cur"))
}

# After `checkpoint --run --`: the command to run (its first word starts at COMP_WORDS[$1]), then its arguments.
_timetravel_run_command() {
    if [ "$1" -eq "$COMP_CWORD" ]; then COMPREPLY=($(compgen -c -- "$cur")); else _timetravel_files; fi
}

_timetravel() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="init snapshot list ls cat stats verify index catalog mount umount track import-log replicate history diff restore rollback forget gc policy pin unpin checkpoint apt-hook"
    local -a _tt_store=() args=()
    local cmd="" i w
    # The subcommand, the positional arguments before the cursor, and --store wherever it was given.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case "$w" in
            --store|-s) _tt_store=(--store "${COMP_WORDS[i+1]}"); ((i++)); continue ;;
            --store=*) _tt_store=(--store "${w#--store=}"); continue ;;
        esac
        if [ -z "$cmd" ]; then
            [[ $w == -* ]] || cmd=$w
            continue
        fi
        case "$w" in
            --) [ "$cmd" = checkpoint ] && { _timetravel_run_command $((i + 1)); return; } ;;
            --to|--exclude|-e|--full-walk-every|--consistent|--freeze-limit|--keep-within|--keep-last|--keep-hourly|--keep-daily|--keep-weekly|--keep-monthly|--keep-yearly|--note|--wait|--log|--host|--grace|--threshold) ((i++)) ;; # options that take a value
            -*) ;;
            *) args+=("$w") ;;
        esac
    done

    case "$prev" in
        --store|-s) _timetravel_dirs; return ;;
        --to) [ "$cmd" = replicate ] && { COMPREPLY=($(compgen -W "s3:// file:///" -- "$cur")); compopt -o nospace 2>/dev/null; return; }
              _timetravel_files; return ;;
        --grace) COMPREPLY=($(compgen -W "0 30m 1h 12h 1d" -- "$cur")); return ;;
        --exclude|-e) COMPREPLY=(); return ;;
        --full-walk-every) COMPREPLY=($(compgen -W "30m 12h 1d 7d never" -- "$cur")); return ;;
        --consistent) COMPREPLY=($(compgen -W "auto off" -- "$cur")); return ;;
        --freeze-limit) COMPREPLY=($(compgen -W "500ms 1s 2s 5s" -- "$cur")); return ;;
        --keep-within) COMPREPLY=($(compgen -W "12h 2d 7d 1m 1y" -- "$cur")); return ;;
        --keep-*) COMPREPLY=($(compgen -W "unlimited" -- "$cur")); return ;; # a count, or unlimited
        --note|--wait|--host) COMPREPLY=(); return ;; # free text, a duration, a host name: nothing to offer
        --log) _timetravel_files; return ;;
    esac
    if [ -z "$cmd" ]; then
        COMPREPLY=($(compgen -W "$commands --store --help --version" -- "$cur"))
        return
    fi

    local opts=""
    case "$cmd" in
        init) opts="--exclude --new-catalog --host --existing" ;;
        snapshot) opts="--full --full-walk-every --reread --no-ranges --consistent --freeze-limit --json --quiet" ;;
        list) opts="--usage --json --host" ;;
        stats) opts="--json" ;;
        ls) opts="--recursive --json" ;;
        verify) opts="--read-data --json" ;;
        index) opts="--json" ;;
        catalog) opts="--force --json" ;;
        forget) opts="--dry-run --force --json --policy --keep-last --keep-hourly --keep-daily --keep-weekly --keep-monthly --keep-yearly --keep-within" ;;
        gc) opts="--dry-run --threshold --save --grace --json" ;;
        replicate) opts="--to --host" ;;
        policy) opts="--json --keep-last --keep-hourly --keep-daily --keep-weekly --keep-monthly --keep-yearly --keep-within" ;; # show, set
        pin) opts="--note" ;;
        checkpoint) opts="--note --json --run --keep-if-success --rollback-on-failure" ;;
        apt-hook) opts="--wait --log" ;;
        mount) opts="--foreground" ;;
        track) opts="--no-ranges" ;;
        history) opts="--diff --json" ;;
        diff) opts="--json" ;;
        restore) opts="--to --dry-run --no-backup --if-different" ;;
        rollback) opts="--dry-run --exclude --undo --yes --json" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts --store --help" -- "$cur"))
        return
    fi

    # What goes at this position: SNAPSHOT, a PATH, a directory, or nothing.
    case "$cmd:${#args[@]}" in
        ls:0|cat:0|diff:0|diff:1|restore:0|rollback:0|forget:*|pin:0|unpin:0) _timetravel_snapshots ;;
        policy:0) COMPREPLY=($(compgen -W "set show clear" -- "$cur")) ;;
        apt-hook:0) COMPREPLY=($(compgen -W "pre post" -- "$cur")) ;;
        ls:1|cat:1|diff:2|restore:1|rollback:*|history:0) _timetravel_files ;;
        init:*|mount:0|umount:0) _timetravel_dirs ;;
        import-log:*) _timetravel_files ;;
        index:0|catalog:0) COMPREPLY=($(compgen -W "rebuild" -- "$cur")) ;;
        *) COMPREPLY=() ;;
    esac
}

_yesterday() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local i
    # After --: the command -b runs, then its arguments.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [ "${COMP_WORDS[i]}" = "--" ]; then
            if [ $((i + 1)) -eq "$COMP_CWORD" ]; then COMPREPLY=($(compgen -c -- "$cur")); else _timetravel_files; fi
            return
        fi
    done
    case "$prev" in
        -n|--at|--host) COMPREPLY=(); return ;; # DAYS[:HOURS], a date and time, a host name: nothing to offer
        --store|-s) _timetravel_dirs; return ;;
    esac
    case "$cur" in
        -*) COMPREPLY=($(compgen -W "-a -b -c -C -d -D -n --at --host --store --no-backup --help" -- "$cur")) ;;
        *) _timetravel_files ;;
    esac
}

complete -F _timetravel timetravel
complete -F _yesterday yesterday
