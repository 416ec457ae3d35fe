# SPDX-License-Identifier: GPL-2.0
# bash completion for netfs-sim
_netfs_sim()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	--inject)
		COMPREPLY=($(compgen -W "$(netfs-sim --list-injections 2>/dev/null | awk '{print $1}')" -- "$cur")); return ;;
	--dialect)
		COMPREPLY=($(compgen -W "6.12 7.2" -- "$cur")); return ;;
	--form)
		COMPREPLY=($(compgen -W "trace comm task bare wrapped comm-wrapped task-wrapped bare-wrapped" -- "$cur")); return ;;
	-o|--output|--truth|--scenario-out)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--seed|--events)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--inject --seed --dialect --form -o --output --truth --events --random --scenario-out --list-injections -h --help" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _netfs_sim netfs-sim
