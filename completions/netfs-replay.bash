# SPDX-License-Identifier: GPL-2.0
# bash completion for netfs-replay(1)

_netfs_replay_kinds="use-after-free over-read bad-rewind double-unlock early-unlock bad-donation ref-leak ref-mismatch stuck bad-context retry-storm failure"

_netfs_replay()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=value: bash splits it into "--opt" "=" "value"
	if [[ $cur == = ]]; then
		cur=''
	elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi

	case $prev in
	-i | --input | --vocab | --btf-base)
		_netfs_replay_files "$cur"
		return
		;;
	--fail-on)
		# a comma list: complete the last item, keep what is before it
		local head='' last=$cur k
		if [[ $cur == *,* ]]; then
			head=${cur%,*},
			last=${cur##*,}
		fi
		COMPREPLY=()
		if [[ -z $head ]]; then
			for k in all none; do
				if [[ $k == "$last"* ]]; then
					COMPREPLY+=("$k")
				fi
			done
		fi
		for k in $_netfs_replay_kinds; do
			if [[ ,$head != *",$k,"* && $k == "$last"* ]]; then
				COMPREPLY+=("$head$k")
			fi
		done
		compopt -o nospace 2>/dev/null || :
		return 0
		;;
	--kernel)
		mapfile -t COMPREPLY < <(compgen -W "6.1 6.12 6.14 7.2" -- "$cur")
		return
		;;
	-j | --jobs)
		mapfile -t COMPREPLY < <(compgen -W "1 2 4 8 $(nproc 2>/dev/null)" -- "$cur")
		return
		;;
	-R | --request | --stuck-after | --retry-limit | --max-objects | --instance | --spool-max)
		COMPREPLY=()
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "-i --input -j --jobs --json -R --request
			--brief --fail-on --stuck-after --retry-limit --kernel --max-objects
			--instance --spool-max --model --vocab --btf-base --html --perfetto -q --quiet -h --help
			--version" -- "$cur")
		return
	fi
	_netfs_replay_files "$cur"
}

# Captures: any file (a capture may have any name), and directories.
_netfs_replay_files()
{
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
	compopt -o filenames 2>/dev/null || :
}

complete -F _netfs_replay netfs-replay
