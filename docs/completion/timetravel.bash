# bash completion for timetravel(8) and yesterday(1)
_timetravel() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="init snapshot list ls cat stats verify index mount umount track import-log history diff restore"
    if [ "$COMP_CWORD" -eq 1 ] || { [ "$COMP_CWORD" -eq 3 ] && [[ ${COMP_WORDS[1]} == --store || ${COMP_WORDS[1]} == -s ]]; }; then
        COMPREPLY=($(compgen -W "$commands --store --help --version" -- "$cur")); return
    fi
    case "$prev" in
        --store|-s|--to) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        ls|cat|history|diff|restore)
            COMPREPLY=($(compgen -W "latest $(timetravel list --json 2>/dev/null | sed -n 's/.*"name": "\(.*\)".*/\1/p')" -- "$cur")); return ;;
        index) COMPREPLY=($(compgen -W "rebuild" -- "$cur")); return ;;
    esac
    case "$cur" in
        -*) COMPREPLY=($(compgen -W "--json --full --reread --read-data --dry-run --diff --to --exclude --foreground --quiet --help" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
_yesterday() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    case "$cur" in
        -*) COMPREPLY=($(compgen -W "-a -b -c -C -d -D -n --at --store --no-backup --help" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _timetravel timetravel
complete -F _yesterday yesterday
