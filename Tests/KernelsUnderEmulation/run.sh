#!/usr/bin/env bash
# Runs check.c's comparison of the AVX-512 kernels with the portable ones on an emulated
# AVX-512 CPU (Bochs, Skylake-SP model), with no operating system: boot.S switches the CPU to
# long mode and turns on the AVX-512 register state itself. For machines without AVX-512; on one
# with it, `run.sh --native` builds and runs the same checks as a Linux program.
#
# Needs (Debian): bochs bochsbios vgabios isolinux syslinux-common xorriso, and clang.
# Usage: Tests/KernelsUnderEmulation/run.sh [--native] [--keep DIR]
# Exit status 0 when every check passed; the serial output is printed either way.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kernels="$here/../../Sources/CKernels"
native=0
work=""
while [ $# -gt 0 ]; do
    case "$1" in
        --native) native=1 ;;
        --keep) work="$2"; shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$work" ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

# clang with its warnings hidden (the AVX-512 vector types warn about their ABI); on a failure,
# the same command again with them shown, and the script stops.
quiet_clang() {
    clang "$@" 2>/dev/null || { clang "$@"; exit 1; }
}

if [ "$native" = 1 ]; then
    quiet_clang -O2 -I"$kernels/include" -I"$here" -o "$work/check" "$here/check.c" "$here/hosted.c" "$kernels"/*.c -lpthread -lm
    "$work/check"
    exit $?
fi

packages="apt-get install -y bochs bochsbios vgabios isolinux syslinux-common xorriso"
for tool in clang ld objcopy xorriso bochs; do
    command -v "$tool" >/dev/null || { echo "run.sh: '$tool' not found ($packages)" >&2; exit 2; }
done
for file in /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/mboot.c32 /usr/share/bochs/BIOS-bochs-latest; do
    [ -f "$file" ] || { echo "run.sh: '$file' not found ($packages)" >&2; exit 2; }
done

# The image: CKernels and the check, compiled for bare metal (no red zone: interrupts would use
# the stack as is; no stack protector or CET: nothing here sets them up), loaded at 1 MiB.
flags=(-O2 -fno-stack-protector -mno-red-zone -fno-pic -fno-pie -mcmodel=small -fcf-protection=none
       -fno-asynchronous-unwind-tables -D_FORTIFY_SOURCE=0 -I"$kernels/include" -I"$here")
mkdir -p "$work/obj"
for source in "$kernels"/*.c "$here/check.c" "$here/baremetal.c"; do
    quiet_clang "${flags[@]}" -c "$source" -o "$work/obj/$(basename "$source" .c).o"
done
clang -c -fno-pic "$here/boot.S" -o "$work/obj/boot.o"
ld -nostdlib -static -no-pie -z noexecstack --no-warn-rwx-segments -T "$here/image.ld" -o "$work/check.elf" "$work"/obj/*.o
objcopy -O binary "$work/check.elf" "$work/check.bin"

# A CD image: isolinux loads mboot.c32, which loads the image by its Multiboot header.
mkdir -p "$work/iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/{ldlinux.c32,mboot.c32,libcom32.c32} "$work/iso/isolinux/"
cp "$work/check.bin" "$work/iso/check.bin"
printf 'default check\nprompt 0\ntimeout 0\nlabel check\n  kernel mboot.c32\n  append /check.bin\n' > "$work/iso/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$work/check.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$work/iso" 2>/dev/null

# Bochs: no display (a VNC server on loopback that waits for no one), no sound, the first serial
# port to a file, the built-in debugger told to continue.
cat > "$work/bochsrc" <<CONFIG
megs: 1024
cpu: model=corei7_skylake_x, ips=100000000
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$work/check.iso, status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
sound: driver=dummy
speaker: enabled=0
com1: enabled=1, mode=file, dev=$work/serial.txt
log: $work/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
clock: sync=none
CONFIG
printf 'c\n' > "$work/continue.rc"
: > "$work/serial.txt"
start=$(date +%s)
bochs -q -f "$work/bochsrc" -rc "$work/continue.rc" < /dev/null > "$work/bochs.out" 2>&1 &
emulator=$!
limit=${AVX512_CHECK_SECONDS:-1500}
while kill -0 "$emulator" 2>/dev/null && ! grep -q "^end of check" "$work/serial.txt"; do
    if [ $(( $(date +%s) - start )) -ge "$limit" ]; then
        echo "run.sh: no result after $limit s" >&2
        break
    fi
    sleep 2
done
kill "$emulator" 2>/dev/null || true
wait "$emulator" 2>/dev/null || true
cat "$work/serial.txt"
echo "(emulated in $(( $(date +%s) - start )) s)"
grep -q "^result: OK" "$work/serial.txt" || { tail -5 "$work/bochs.log" >&2; exit 1; }
