# Sourced by the scripts that write an installed configuration file from
# the repository's commented one (installed-config.sh,
# central/installed-config.sh).
#   replace_once FILE OLD-LINE NEW-TEXT
# Replaces the one line of FILE that is exactly OLD-LINE by NEW-TEXT (which
# may span lines). Anything but exactly one match fails, so a reworded
# file fails the package build instead of shipping development values.
replace_once() {
    local file=$1 old=$2 new=$3 count
    count=$(grep -cFx -- "$old" "$file" || true)
    if [ "$count" != 1 ]; then
        echo "$(basename "$file"): expected one line matching '$old', found $count" >&2
        exit 1
    fi
    OLD="$old" NEW="$new" perl -pi -e 's/^\Q$ENV{OLD}\E$/$ENV{NEW}/' "$file"
}
