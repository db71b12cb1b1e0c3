// SPDX-License-Identifier: Apache-2.0
// Linked into every executable of a sanitized build (cmake/SparkSanitize.cmake) and into the sanitized install-test
// consumer. Debian's SystemC 2.3.4 tells AddressSanitizer of its coroutine switches only in part: a switch back to
// sc_main gives ASan an empty stack, and a switch out of a thread that ended is not reported at all, so ASan keeps
// that thread's (soon unmapped) stack on record. This file completes the record; README.md beside it gives the
// mechanism and what goes wrong without it.
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

#include <array>
#include <cstddef>

namespace spark::sanitizer {
namespace {

using StartSwitch = void (*)(void**, const void*, std::size_t);
using FinishSwitch = void (*)(void*, const void**, std::size_t*);

// ASan's own entry points, behind the definitions below that take their place for libsystemc. Plain pointers
// looked up on first use, not function-local statics: the file needs nothing of the C++ runtime, so that a C
// compiler check linking it (the install test's consumer enables C) still links.
StartSwitch asan_start = nullptr;
FinishSwitch asan_finish = nullptr;

StartSwitch asan_start_switch() {
  if (asan_start == nullptr) {
    asan_start = reinterpret_cast<StartSwitch>(dlsym(RTLD_NEXT, "__sanitizer_start_switch_fiber"));
  }
  return asan_start;
}
FinishSwitch asan_finish_switch() {
  if (asan_finish == nullptr) {
    asan_finish = reinterpret_cast<FinishSwitch>(dlsym(RTLD_NEXT, "__sanitizer_finish_switch_fiber"));
  }
  return asan_finish;
}

// The main thread's stack as ASan took it from the kernel, read before any coroutine ran.
StackRange main_stack;

// Coroutine stacks libsystemc has named in a switch, newest last: a thread that starts running because another
// ended is found here by its stack pointer. SystemC gives every thread the same stack size, so a range that was
// unmapped and mapped again for a new thread is the same range.
constexpr std::size_t kMaxCoroutineStacks = 4096;
std::array<StackRange, kMaxCoroutineStacks> coroutine_stacks;
std::size_t coroutine_stack_count = 0;

void remember_coroutine_stack(StackRange range) {
  for (std::size_t i = 0; i < coroutine_stack_count; ++i) {
    if (coroutine_stacks[i].bottom == range.bottom) {
      coroutine_stacks[i] = range;
      return;
    }
  }
  if (coroutine_stack_count < kMaxCoroutineStacks) coroutine_stacks[coroutine_stack_count++] = range;
}

const StackRange* stack_holding(const void* address) {
  if (main_stack.holds(address)) return &main_stack;
  for (std::size_t i = coroutine_stack_count; i-- > 0;) {
    if (coroutine_stacks[i].holds(address)) return &coroutine_stacks[i];
  }
  return nullptr;
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
  asan_start_switch()(&fake_stack, nullptr, 0);
  asan_finish_switch()(fake_stack, &range.bottom, &range.size_bytes);
  asan_start_switch()(&fake_stack, range.bottom, range.size_bytes);
  asan_finish_switch()(fake_stack, nullptr, nullptr);
  return range;
}

void record_stack(StackRange range) {
  void* fake_stack = nullptr;
  asan_start_switch()(&fake_stack, range.bottom, range.size_bytes);
  asan_finish_switch()(fake_stack, nullptr, nullptr);
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
    if (const StackRange* range = stack_holding(&here)) record_stack(*range);
  }
};

const MainStackGuard main_stack_guard;

}  // namespace
}  // namespace spark::sanitizer

// Take the place of ASan's entry point for libsystemc, which calls it before every yield with the stack it switches
// to: the main coroutine's stack is null there (SystemC never learns it), which ASan would record as an empty range.
extern "C" void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, std::size_t size) {
  using namespace spark::sanitizer;
  if (bottom == nullptr && main_stack.bottom != nullptr) {
    bottom = main_stack.bottom;
    size = main_stack.size_bytes;
  } else if (bottom != nullptr) {
    remember_coroutine_stack({bottom, size});
  }
  asan_start_switch()(fake_stack_save, bottom, size);
}

// Takes the place of libsystemc's own helper, which QuickThreads runs on the new stack when a thread that ended
// hands over (sc_cor_pkg_qt::abort): 2.3.4 reports that switch to ASan not at all, so report it here. The library's
// helper runs first: a SystemC that does annotate the switch finishes it there.
extern "C" void* sc_cor_qt_aborthelp(void* old_sp, void* old_cor, void* new_cor) {
  using Helper = void* (*)(void*, void*, void*);
  const auto library_helper = reinterpret_cast<Helper>(dlsym(RTLD_NEXT, "sc_cor_qt_aborthelp"));  // rare: threads ending
  void* result = library_helper != nullptr ? library_helper(old_sp, old_cor, new_cor) : nullptr;
  const char here = 0;
  if (const spark::sanitizer::StackRange* range = spark::sanitizer::stack_holding(&here)) {
    spark::sanitizer::record_stack(*range);
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
