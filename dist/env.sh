# shellcheck shell=sh
# Put this concur installation first on PATH, MANPATH and the bash-completion
# search path (XDG_DATA_DIRS), for the shell that
# sources it:   . PREFIX/share/concur/env.sh
# (the Debian package: . /usr/lib/concur/share/concur/env.sh). For bash, set
# CONCUR_PREFIX first if your shell cannot name the sourced file.
if [ -z "${CONCUR_PREFIX:-}" ]; then
  if [ -n "${BASH_SOURCE:-}" ]; then
    CONCUR_PREFIX=$(cd "$(dirname "$BASH_SOURCE")/../.." && pwd)
  else
    CONCUR_PREFIX=/usr/lib/concur
  fi
fi
# MANPATH's trailing ':' keeps man's default search; bash-completion looks in
# XDG_DATA_DIRS (whose default is /usr/local/share:/usr/share).
PATH=$CONCUR_PREFIX/bin:$PATH
MANPATH=$CONCUR_PREFIX/share/man:${MANPATH:-}
XDG_DATA_DIRS=$CONCUR_PREFIX/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}
export PATH MANPATH XDG_DATA_DIRS CONCUR_PREFIX
