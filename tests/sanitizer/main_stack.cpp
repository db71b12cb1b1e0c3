// SPDX-License-Identifier: Apache-2.0
// What LeakSanitizer sees in a SystemC program (scripts/sanitizers/README.md). Two arguments:
//   yield | abort | handover | handover_fresh
//            how the kernel last came back to sc_main, and where the leak of `leaked` happens.
//            yield: sc_start's time runs out while a thread waits (ASan is told of the switch, with an empty
//            range for the main stack); sc_main leaks. abort: the last thread returns (ASan is told nothing: its
//            record stays on that thread's coroutine stack); sc_main leaks. handover: two threads wake together
//            and the first returns, so the kernel switches straight to the second, which leaks. handover_fresh:
//            the same at initialisation, to a second thread that has never run.
//   held | leaked
//            a block whose only pointer is on sc_main's stack at exit (must not be reported), or a block nothing
//            points to any more (must be reported, with leak_one_block in its stack)
#include <cstdio>
#include <cstdlib>
#include <string>
#include <systemc>

#include "systemc_main_stack.h"

namespace {

char* volatile leak_sink = nullptr;

__attribute__((noinline)) void leak_one_block() {
    leak_sink = new char[1234];
    leak_sink = nullptr;
}

enum class End { yield, abort, handover, handover_fresh };

SC_MODULE(Worker) {
    End end = End::yield;
    bool thread_leaks = false;

    SC_CTOR(Worker) {
        // Registration order is run order within an evaluation phase: `first` runs before `second`.
        SC_THREAD(first);
        SC_THREAD(second);
    }

    void first() {
        if (end == End::handover_fresh) return;  // ends at initialisation, with `second` next and never run yet
        wait(sc_core::sc_time(1, sc_core::SC_NS));
        if (end == End::yield) wait();  // waits for ever: sc_start's time runs out with this thread suspended
    }

    void second() {
        if (end == End::yield || end == End::abort) return;
        if (end == End::handover) wait(sc_core::sc_time(1, sc_core::SC_NS));  // wakes with `first`, runs after it
        if (thread_leaks) leak_one_block();
    }
};

int usage() {
    std::fputs("usage: sanitizer_main_stack yield|abort|handover|handover_fresh held|leaked\n", stderr);
    return 2;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    if (argc != 3) return usage();
    const std::string end = argv[1];
    const std::string check = argv[2];
    const bool held = check == "held";
    if (!held && check != "leaked") return usage();

    Worker worker("worker");
    if (end == "yield") {
        worker.end = End::yield;
    } else if (end == "abort") {
        worker.end = End::abort;
    } else if (end == "handover") {
        worker.end = End::handover;
    } else if (end == "handover_fresh") {
        worker.end = End::handover_fresh;
    } else {
        return usage();
    }
    const bool thread_leaks = worker.end == End::handover || worker.end == End::handover_fresh;
    worker.thread_leaks = thread_leaks && !held;
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
    if (!thread_leaks) leak_one_block();
    return 0;
}
