# SPDX-License-Identifier: GPL-2.0
# bash completion for netfs-top
_netfs_top()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-i|--input|--bench-pages|--stats-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--textfile)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-g|--group)
		COMPREPLY=($(compgen -W "inode origin cookie" -- "$cur")); return ;;
	-s|--sort)
		COMPREPLY=($(compgen -W "REQ/s RD/s WR/s SUBREQ RETRY FAIL INFL P50 P99 MAX" -- "$cur")); return ;;
	-e|--event)
		COMPREPLY=($(compgen -W "netfs fscache cachefiles netfs:* fscache:* cachefiles:*" -- "$cur")); return ;;
	--fail-on)
		COMPREPLY=($(compgen -W "all none use-after-free over-read bad-rewind double-unlock early-unlock bad-donation ref-leak ref-mismatch stuck bad-context retry-storm failure leak overread" -- "$cur")); return ;;
	-d|--delay|-n|--iterations|-B|--buffer-size|--speed|--rows|--stuck-after|--retry-limit|--kernel|--max-objects|--listen)
		return ;;
	esac
	COMPREPLY=($(compgen -W "-d --delay -b --batch -n --iterations --json -B --buffer-size -e --event -i --input --speed -g --group -s --sort --rows --fail-on --stuck-after --retry-limit --kernel --max-objects --listen --textfile --bench-pages --stats-only --stats-file -h --help --version" -- "$cur"))
}
complete -F _netfs_top netfs-top
