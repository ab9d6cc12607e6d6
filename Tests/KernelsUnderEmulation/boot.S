/* The entry of the bare-metal AVX-512 check (see README.md beside this file).
 *
 * A Multiboot (v1) loader enters _start32 in 32-bit protected mode, paging off. This sets up
 * long mode with the first 1 GiB identity-mapped in 2 MiB pages, turns on SSE, XSAVE and every
 * register state the CPU reports among x87, SSE, AVX and AVX-512's three (XCR0 bits 0-2, 5-7),
 * as an operating system would, then calls check_main(). The image is loaded at 1 MiB as one
 * flat file (the header's address fields), so the loader needs no ELF support. */

#define MULTIBOOT_MAGIC 0x1BADB002
/* Page-aligned modules, memory map, and the load addresses below (the "a.out kludge"). */
#define MULTIBOOT_FLAGS 0x00010003

    .section .multiboot, "a"
    .align 4
multiboot_header:
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
    .long multiboot_header
    .long image_start
    .long image_data_end
    .long image_bss_end
    .long _start32

    .section .text.boot, "ax"
    .code32
    .globl _start32
_start32:
    cli
    movl $boot_stack_top, %esp
    /* Zero the page tables (three 4 KiB pages). */
    movl $page_tables, %edi
    xorl %eax, %eax
    movl $(3 * 4096 / 4), %ecx
    rep stosl
    /* PML4[0] -> PDPT, PDPT[0] -> PD, PD[i] -> i * 2 MiB (present, writable, large). */
    movl $(page_tables + 4096), %eax
    orl $0x3, %eax
    movl %eax, page_tables
    movl $(page_tables + 8192), %eax
    orl $0x3, %eax
    movl %eax, page_tables + 4096
    movl $(page_tables + 8192), %edi
    movl $0x83, %eax
    movl $512, %ecx
1:  movl %eax, (%edi)
    movl $0, 4(%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 1b
    movl $page_tables, %eax
    movl %eax, %cr3
    /* CR4.PAE, then EFER.LME, then CR0.PG: long mode. */
    movl %cr4, %eax
    orl $(1 << 5), %eax
    movl %eax, %cr4
    movl $0xC0000080, %ecx
    rdmsr
    orl $(1 << 8), %eax
    wrmsr
    movl %cr0, %eax
    orl $(1 << 31), %eax
    movl %eax, %cr0
    lgdt gdt_pointer
    ljmp $0x08, $start64

    .code64
start64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movq $boot_stack_top, %rsp
    /* CR0: no x87 emulation (EM), monitor coprocessor (MP), no task switched (TS). */
    movq %cr0, %rax
    andq $~((1 << 2) | (1 << 3)), %rax
    orq $(1 << 1), %rax
    movq %rax, %cr0
    /* CR4: FXSAVE/SSE (OSFXSR), SSE exceptions (OSXMMEXCPT), XSAVE and XGETBV (OSXSAVE). */
    movq %cr4, %rax
    orq $((1 << 9) | (1 << 10)), %rax
    movq %rax, %cr4
    movl $1, %eax
    cpuid
    testl $(1 << 26), %ecx      /* XSAVE */
    jz 2f
    movq %cr4, %rax
    orq $(1 << 18), %rax
    movq %rax, %cr4
    /* XCR0 = what CPUID.(0xD, 0).EAX reports, among x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM. */
    movl $0xD, %eax
    xorl %ecx, %ecx
    cpuid
    andl $0xE7, %eax
    xorl %edx, %edx
    xorl %ecx, %ecx
    xsetbv
2:  fninit
    call check_main
3:  cli
    hlt
    jmp 3b

    .section .rodata.boot, "a"
    .align 16
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF    /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF    /* 0x10: data */
gdt_end:
gdt_pointer:
    .word gdt_end - gdt - 1
    .long gdt

    .section .bss.boot, "aw", @nobits
    .align 4096
page_tables:
    .skip 3 * 4096
    .align 16
boot_stack:
    .skip 1024 * 1024
boot_stack_top:
