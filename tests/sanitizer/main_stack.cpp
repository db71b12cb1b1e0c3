// SPDX-License-Identifier: Apache-2.0
// What LeakSanitizer sees in a SystemC program (scripts/sanitizers/README.md). Two arguments:
//   yield | abort | handover
//            how the kernel last came back to sc_main: sc_start's time ran out while a thread waits (a switch ASan
//            is told of, with an empty range for the main stack), or the last thread returned (a switch ASan is not
//            told of: its record stays on that thread's coroutine stack); handover: as abort, and before that a
//            thread that ended handed over to another thread, which leaks (in `leaked`) before it ends too
//   held | leaked
//            a block whose only pointer is on sc_main's stack at exit (must not be reported), or a block nothing
//            points to any more (must be reported, with leak_one_block in its stack)
#include <systemc>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "systemc_main_stack.h"

namespace {

char* volatile leak_sink = nullptr;

__attribute__((noinline)) void leak_one_block() {
  leak_sink = new char[1234];
  leak_sink = nullptr;
}

SC_MODULE(Worker) {
  bool returns = false;
  bool handover = false;
  bool leak_after_handover = false;
  sc_core::sc_event first_ended;

  SC_CTOR(Worker) {
    SC_THREAD(first);
    SC_THREAD(second);
  }

  void first() {
    wait(sc_core::sc_time(1, sc_core::SC_NS));
    if (!returns) wait();  // wait for ever: sc_start's time runs out with this thread suspended
    if (handover) first_ended.notify();  // immediate: `second` runs next, right after this thread has ended
  }

  void second() {
    if (!handover) return;
    wait(first_ended);
    if (leak_after_handover) leak_one_block();
  }
};

int usage() {
  std::fputs("usage: sanitizer_main_stack yield|abort|handover held|leaked\n", stderr);
  return 2;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  if (argc != 3) return usage();
  const std::string end = argv[1];
  const std::string check = argv[2];
  if ((end != "yield" && end != "abort" && end != "handover") || (check != "held" && check != "leaked")) {
    return usage();
  }
  const bool held = check == "held";

  Worker worker("worker");
  worker.returns = end != "yield";
  worker.handover = end == "handover";
  worker.leak_after_handover = end == "handover" && !held;
  sc_core::sc_start(sc_core::sc_time(10, sc_core::SC_NS));

  // What ASan has on record now, before the exit-time guard puts the main stack back (for the README's table).
  const char here = 0;
  const auto record = spark::sanitizer::recorded_stack();
  std::printf("after sc_start (%s): ASan's stack record %p + %zu bytes %s the stack pointer\n", end.c_str(),
              record.bottom, record.size_bytes, record.holds(&here) ? "holds" : "does not hold");

  if (held) {
    char* volatile only_pointer = new char[64];
    std::exit(only_pointer != nullptr ? 0 : 1);  // sc_main's frame, with only_pointer in it, is still live here
  }
  if (end != "handover") leak_one_block();
  return 0;
}
