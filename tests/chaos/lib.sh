# Sourced by the run and finish scripts of tests/chaos: a producer writes
# numbered lines to its standard output (the log pipe) and records, after
# each line, the number it has written.
#
# A producer is one process writing lines: the run script of a service
# (role m), a child it forks that writes too (role k, in killpg services),
# or a finish script (role f). Its id is unique for the whole run:
# SID.ROLE.PID.MICROSECONDS. Every line is "C ID N PADDING E", N counting
# from 1. After writing line N it appends "N" to STATE/rec/ID, so that
# file's last line is a lower bound of what it wrote: a SIGKILL between the
# line and the record costs the record, not the line, so at most one line
# more than the record may be logged.
#
# Set by the script that sources this: SID, STATE.

PAD=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ

# produce ROLE MAX TICK [NOTIFY]: writes up to MAX lines (0: for ever),
# about one every TICK seconds (read -t on a FIFO no one writes: a sleep
# that forks nothing). With NOTIFY, a newline to fd 3 after the first line.
produce() {
	local role=$1 max=$2 tick=$3 notify=$4 n=0 id
	id=$SID.$role.$BASHPID.${EPOCHREALTIME/./}
	echo "$id" >"$STATE/ids/$BASHPID"
	exec 8>>"$STATE/rec/$id" 9<>"$STATE/tick"
	while [ "$max" = 0 ] || [ "$n" -lt "$max" ]; do
		n=$((n + 1))
		echo "C $id $n ${PAD:0:$((RANDOM % 100))} E"
		echo "$n" >&8
		if [ "$n" = 1 ] && [ -n "$notify" ]; then
			echo >&3
			exec 3>&-
		fi
		read -r -t "$tick" -u 9
	done
}
