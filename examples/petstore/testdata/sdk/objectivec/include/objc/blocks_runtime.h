// GNUstep's headers include <objc/blocks_runtime.h> when the compiler has
// blocks; with GCC's Objective-C runtime the blocks runtime is
// libBlocksRuntime, whose header is <Block.h>.
#include <Block.h>
