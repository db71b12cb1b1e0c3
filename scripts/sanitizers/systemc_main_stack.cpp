// SPDX-License-Identifier: Apache-2.0
// Linked into every executable of a sanitized build (cmake/SparkSanitize.cmake) and into the sanitized install-test
// consumer. Debian's SystemC 2.3.4 tells AddressSanitizer of its coroutine switches only in part: a switch back to
// sc_main gives ASan an empty stack, and a switch out of a thread that ended is not reported at all, so ASan keeps
// that thread's (soon unmapped) stack on record. This file completes the record from the two helpers QuickThreads
// runs on the new stack after every switch; README.md beside it gives the mechanism and what goes wrong without it.
// It defines no sanitizer symbol, so it links with any ASan runtime (GCC's or clang's, shared or static).
#include "systemc_main_stack.h"

#if defined(__SANITIZE_ADDRESS__)
#define SPARK_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPARK_HAS_ASAN 1
#endif
#endif

#ifdef SPARK_HAS_ASAN
#include <dlfcn.h>
#include <sanitizer/common_interface_defs.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace spark::sanitizer {
namespace {

// The main thread's stack as ASan took it from the kernel, read before any coroutine ran.
StackRange main_stack;

// Coroutine stacks ASan was told of when SystemC yielded to them, by their bottom address (open addressing: a
// yield adds at most one probe sequence, however many threads there are). A thread that first runs because another
// ended was never yielded to: its range is worked out from its stack pointer (estimated_stack).
constexpr std::size_t kCoroutineSlots = 8192;  // a power of two; filled to three quarters at most
std::array<StackRange, kCoroutineSlots> coroutine_stacks;
std::size_t coroutine_stack_count = 0;

void remember_coroutine_stack(StackRange range) {
    const auto key = reinterpret_cast<std::uintptr_t>(range.bottom);
    for (std::size_t probe = 0, i = (key >> 12) & (kCoroutineSlots - 1); probe < kCoroutineSlots;
         ++probe, i = (i + 1) & (kCoroutineSlots - 1)) {
        StackRange& slot = coroutine_stacks[i];
        if (slot.bottom == range.bottom) {
            slot = range;  // the same mapping again, perhaps for a new thread of another size
            return;
        }
        if (slot.bottom == nullptr) {
            if (coroutine_stack_count >= kCoroutineSlots / 4 * 3) return;
            slot = range;
            ++coroutine_stack_count;
            return;
        }
    }
}

// Rare (a thread ended): a scan of every slot is fine.
const StackRange* known_stack_holding(const void* address) {
    if (main_stack.holds(address)) return &main_stack;
    for (const StackRange& slot : coroutine_stacks)
        if (slot.holds(address)) return &slot;
    return nullptr;
}

// A thread that has never run starts at the top of its stack: QuickThreads places the first frame just below the
// page-aligned end of the mmap'ed stack. Its size is SystemC's default unless the process asked for another
// (set_stack_size); the ranges seen so far tell which, and a bottom set too low costs nothing (ASan only reads
// frames between the stack pointer and the top).
StackRange estimated_stack(const void* address) {
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const std::uintptr_t top = (reinterpret_cast<std::uintptr_t>(address) + page) & ~(page - 1);
    std::size_t size = 0;
    for (const StackRange& slot : coroutine_stacks)
        if (slot.size_bytes > size) size = slot.size_bytes;
    if (size == 0) {
        // SystemC exports its default; looked up, not linked, so that executables without SystemC link too.
        const auto* systemc_default = static_cast<const int*>(dlsym(RTLD_DEFAULT, "_ZN7sc_core21SC_DEFAULT_STACK_SIZEE"));
        size = systemc_default != nullptr && *systemc_default > 0 ? static_cast<std::size_t>(*systemc_default) : 1u << 20;
    }
    size = (size + page - 1) & ~(page - 1);
    return {reinterpret_cast<const void*>(top - size), size};
}

}  // namespace

bool StackRange::holds(const void* address) const {
    const auto* base = static_cast<const char*>(bottom);
    const auto* at = static_cast<const char*>(address);
    return bottom != nullptr && at >= base && at < base + size_bytes;
}

// Finishing a switch hands back the range being left, the only way ASan gives its record out; the second switch
// puts back exactly what was read.
StackRange recorded_stack() {
    StackRange range;
    void* fake_stack = nullptr;  // kept across the switches (there is none without detect_stack_use_after_return)
    __sanitizer_start_switch_fiber(&fake_stack, nullptr, 0);
    __sanitizer_finish_switch_fiber(fake_stack, &range.bottom, &range.size_bytes);
    __sanitizer_start_switch_fiber(&fake_stack, range.bottom, range.size_bytes);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
    return range;
}

void record_stack(StackRange range) {
    void* fake_stack = nullptr;
    __sanitizer_start_switch_fiber(&fake_stack, range.bottom, range.size_bytes);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}

namespace {

// Constructed before main, while no coroutine has run. Its destructor runs before LeakSanitizer's check at exit
// (ASan registers that check with atexit while it initialises, before any static object exists, and exit handlers
// run in reverse order) and makes sure the check scans the stack exit() runs on.
class MainStackGuard {
public:
    MainStackGuard() { main_stack = recorded_stack(); }
    MainStackGuard(const MainStackGuard&) = delete;
    MainStackGuard& operator=(const MainStackGuard&) = delete;
    ~MainStackGuard() {
        const char here = 0;
        if (const StackRange* range = known_stack_holding(&here)) record_stack(*range);
    }
};

const MainStackGuard main_stack_guard;

// libsystemc's own helpers, looked up on first use. Plain pointers, not function-local statics: the file needs
// nothing of the C++ runtime, so a C compiler check linking it (the install test's consumer enables C) links too.
using Helper = void* (*)(void*, void*, void*);
Helper library_yieldhelp = nullptr;
Helper library_aborthelp = nullptr;

Helper library_helper(Helper& cached, const char* name) {
    if (cached == nullptr) cached = reinterpret_cast<Helper>(dlsym(RTLD_NEXT, name));
    return cached;
}

}  // namespace
}  // namespace spark::sanitizer

// The two helpers below take the place of libsystemc's own, which it loads through its GOT, so an executable's
// definition comes first. QuickThreads runs them on the new stack right after the switch; each calls the library's
// helper first (it saves the old stack pointer, and finishes the switch where SystemC annotates it), then puts the
// stack it runs on on record.

// After sc_cor_pkg_qt::yield: ASan was told the target's stack, which is right for a thread and empty for sc_main.
extern "C" void* sc_cor_qt_yieldhelp(void* old_sp, void* old_cor, void* new_cor) {
    using namespace spark::sanitizer;
    void* result = library_helper(library_yieldhelp, "sc_cor_qt_yieldhelp")(old_sp, old_cor, new_cor);
    const char here = 0;
    if (main_stack.holds(&here)) {
        record_stack(main_stack);
    } else {
        const StackRange range = recorded_stack();
        if (range.holds(&here)) remember_coroutine_stack(range);
    }
    return result;
}

// After sc_cor_pkg_qt::abort, the switch out of a thread that ended: 2.3.4 tells ASan nothing.
extern "C" void* sc_cor_qt_aborthelp(void* old_sp, void* old_cor, void* new_cor) {
    using namespace spark::sanitizer;
    void* result = library_helper(library_aborthelp, "sc_cor_qt_aborthelp")(old_sp, old_cor, new_cor);
    const char here = 0;
    if (const StackRange* known = known_stack_holding(&here)) {
        record_stack(*known);
    } else {
        const StackRange fresh = estimated_stack(&here);
        remember_coroutine_stack(fresh);
        record_stack(fresh);
    }
    return result;
}

#else

namespace spark::sanitizer {
StackRange recorded_stack() { return {}; }
void record_stack(StackRange) {}
bool StackRange::holds(const void*) const { return false; }
}  // namespace spark::sanitizer

#endif
