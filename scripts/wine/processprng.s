# The DLL's entry point: DllMain returns TRUE, nothing to set up. The one
# export is a forwarder (processprng.def).
	.text
	.globl	DllMain
DllMain:
	movl	$1, %eax
	ret
