// SPDX-License-Identifier: Apache-2.0
#include "backends.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "spark/common/error.h"

extern char** environ;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace spark::sweep {

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void draw(bool bar, std::size_t done, std::size_t total, std::size_t failed) {
    if (!bar) return;
    const int width = 40;
    const int fill = total ? static_cast<int>(width * done / total) : width;
    fmt::print(stderr, "\r[{:#<{}}{:.<{}}] {}/{} runs{}", "", fill, "", width - fill, done, total,
               failed ? fmt::format(", {} failed", failed) : "");
}

struct Command {
    int status = -1;  // exit code, -1 when it could not start or was killed
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs a Slurm client command, its output captured through files in `scratch`.
Command capture(const std::vector<std::string>& args, const fs::path& scratch) {
    Command c;
    const fs::path out = scratch / fmt::format(".cmd.{}.out", getpid()), err = scratch / fmt::format(".cmd.{}.err", getpid());
    std::vector<std::string> a = args;
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        c.err = std::strerror(rc);
        return c;
    }
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    c.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    c.out = slurp(out);
    c.err = slurp(err);
    std::error_code ec;
    fs::remove(out, ec);
    fs::remove(err, ec);
    while (!c.err.empty() && (c.err.back() == '\n' || c.err.back() == ' ')) c.err.pop_back();
    return c;
}

bool on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    std::string d;
    while (std::getline(dirs, d, ':'))
        if (!d.empty() && access((fs::path(d) / name).c_str(), X_OK) == 0) return true;
    return false;
}

// Filesystems that a cluster's nodes share, by statfs magic.
std::string shared_fs_name(long type) {
    static const std::map<unsigned long, const char*> shared = {
        {0x6969, "nfs"},           {0x0BD00BD0, "lustre"},  {0x47504653, "gpfs"}, {0xFF534D42, "cifs"},
        {0xFE534D42, "smb2"},      {0x19830326, "beegfs"},  {0x00C36400, "cephfs"}, {0x65735546, "fuse"},
        {0x01021997, "9p"},        {0x6B414653, "afs"},     {0x5346414F, "afs"},  {0x013111A8, "ibrix"},
        {0x24051905, "ubifs"},     {0x73727279, "vboxsf"},  {0xAAD7AAEA, "panfs"}};
    const auto it = shared.find(static_cast<unsigned long>(type));
    return it == shared.end() ? "" : it->second;
}

std::string token_now() {
    const auto t = std::chrono::system_clock::now().time_since_epoch();
    return fmt::format("{:x}{:04x}", std::chrono::duration_cast<std::chrono::milliseconds>(t).count(), getpid() & 0xffff);
}

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

std::size_t run_local(const Layout& l, unsigned jobs, bool progress) {
    std::vector<const RunSpec*> todo;
    for (const RunSpec& r : l.runs)
        if (!finished(l, r)) todo.push_back(&r);
    const std::size_t total = l.runs.size();
    std::size_t done = total - todo.size(), failed = 0;
    const bool bar = progress && isatty(STDERR_FILENO);
    if (done) fmt::print("{} of {} runs already finished (kept)\n", done, total);
    std::map<pid_t, std::pair<const RunSpec*, Clock::time_point>> running;
    std::size_t next = 0;
    draw(bar, done, total, failed);
    while (next < todo.size() || !running.empty()) {
        while (next < todo.size() && running.size() < std::max(1u, jobs)) {
            const RunSpec* r = todo[next++];
            try {
                running[start_run(l, *r)] = {r, Clock::now()};
            } catch (const Error& e) {
                fail_run(l, *r, e.what());
                ++done;
                ++failed;
            }
        }
        int ws = 0;
        const pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            throw Error(fmt::format("waiting for spark-sim: {}", std::strerror(errno)));
        }
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        const Outcome o = finish_run(l, *it->second.first, ws, seconds_since(it->second.second));
        running.erase(it);
        ++done;
        if (!o.ok) ++failed;
        draw(bar, done, total, failed);
    }
    if (bar) fmt::print(stderr, "\n");
    return merge(l);
}

std::size_t run_slurm(const Layout& l, const SlurmOptions& o) {
    const fs::path slurm_dir = fs::path(l.out) / "slurm";
    std::error_code ec;
    fs::create_directories(slurm_dir, ec);
    if (ec) throw Error(fmt::format("--out {}: cannot create {}: {}", l.out, slurm_dir.string(), ec.message()));
    for (const char* tool : {"sbatch", "sinfo", "scontrol", "squeue"})
        if (!on_path(tool))
            throw Error(fmt::format("{}: --backend slurm: '{}' is not on PATH (Slurm's client commands; Debian: "
                                    "slurm-client)", l.sweep_file, tool));

    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < l.runs.size(); ++i)
        if (!finished(l, l.runs[i])) todo.push_back(i);
    if (todo.empty()) {
        fmt::print("every one of the {} runs is finished; results.csv rewritten\n", l.runs.size());
        return merge(l);
    }

    // Every node must see the folder: the tasks read plan.json and write the points' outputs there.
    std::vector<std::string> part;
    if (!o.partition.empty()) part = {"--partition", o.partition};
    std::vector<std::string> sinfo{"sinfo", "-h", "-o", "%D %C"};
    sinfo.insert(sinfo.end(), part.begin(), part.end());
    const Command nodes = capture(sinfo, slurm_dir);
    if (nodes.status != 0)
        throw Error(fmt::format("{}: --backend slurm: sinfo failed: {}", l.sweep_file, first_line(nodes.err)));
    std::uint64_t node_count = 0, cpus = 0;
    {
        std::stringstream in(nodes.out);
        std::string line;
        while (std::getline(in, line)) {
            unsigned long n = 0, a = 0, i = 0, other = 0, t = 0;
            if (std::sscanf(line.c_str(), "%lu %lu/%lu/%lu/%lu", &n, &a, &i, &other, &t) == 5) {
                node_count += n;
                cpus += t;
            }
        }
    }
    struct statfs sf {};
    if (statfs(l.out.c_str(), &sf) != 0) throw Error(fmt::format("--out {}: statfs: {}", l.out, std::strerror(errno)));
    const std::string fs_name = shared_fs_name(sf.f_type);
    if (fs_name.empty() && node_count > 1 && !o.assume_shared)
        throw Error(fmt::format("--out {}: a local filesystem (statfs type 0x{:x}), but the cluster{} has {} nodes: "
                                "the array tasks and the merge job must see this folder; put --out on a shared "
                                "filesystem (NFS, Lustre, GPFS, ...) or pass --assume-shared if it is one",
                                l.out, static_cast<unsigned long>(sf.f_type),
                                o.partition.empty() ? "" : " partition " + o.partition, node_count));
    fmt::print("--out {}: {} ({} node(s), {} CPUs{})\n", l.out,
               fs_name.empty() ? "a local filesystem" : "a shared filesystem (" + fs_name + ")", node_count, cpus,
               fs_name.empty() && node_count > 1 ? ", shared by --assume-shared" : "");

    std::size_t max_array = 1001;
    const Command config = capture({"scontrol", "show", "config"}, slurm_dir);
    if (config.status == 0) {
        std::stringstream in(config.out);
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("MaxArraySize", 0) == 0) {
                const auto eq = line.find('=');
                if (eq != std::string::npos) max_array = std::max<std::size_t>(1, std::stoul(line.substr(eq + 1)));
            }
    }

    // Tasks of a few runs each: a task's scheduling costs about a second on a small cluster, a run of the smoke
    // network a few tens of milliseconds.
    const std::size_t per_task = o.runs_per_task
                                     ? o.runs_per_task
                                     : std::max<std::size_t>(1, (todo.size() + 2 * std::max<std::uint64_t>(cpus, 1) - 1) /
                                                                    (2 * std::max<std::uint64_t>(cpus, 1)));
    const std::string token = token_now();
    nlohmann::json tasks = nlohmann::json::array();
    for (std::size_t i = 0; i < todo.size(); i += per_task) {
        nlohmann::json t = nlohmann::json::array();
        for (std::size_t k = i; k < std::min(todo.size(), i + per_task); ++k) t.push_back(todo[k]);
        tasks.push_back(t);
    }
    write_atomic((slurm_dir / fmt::format("tasks-{}.json", token)).string(), tasks.dump() + "\n");
    fs::remove(slurm_dir / fmt::format("merged-{}.json", token), ec);
    const fs::path task_sh = slurm_dir / "task.sh", merge_sh = slurm_dir / "merge.sh";
    write_atomic(task_sh.string(), fmt::format("#!/bin/sh\n# spark-sweep: one array task runs its share of the sweep's runs\n"
                                               "exec {} task {} --token \"$1\" --index $(($2 + SLURM_ARRAY_TASK_ID))\n",
                                               shell_quote(o.self), shell_quote(l.out)));
    write_atomic(merge_sh.string(), fmt::format("#!/bin/sh\n# spark-sweep: results.csv once every array task has ended\n"
                                                "exec {} merge {} --token \"$1\"\n",
                                                shell_quote(o.self), shell_quote(l.out)));
    fs::permissions(task_sh, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(merge_sh, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);

    std::vector<std::string> common;
    if (!o.partition.empty()) common.insert(common.end(), {"--partition", o.partition});
    if (!o.account.empty()) common.insert(common.end(), {"--account", o.account});
    if (!o.time.empty()) common.insert(common.end(), {"--time", o.time});
    common.insert(common.end(), {"--chdir", l.out});
    common.insert(common.end(), o.sbatch_args.begin(), o.sbatch_args.end());

    std::vector<std::string> ids;
    auto submit = [&](std::vector<std::string> args, const std::string& what) {
        const Command c = capture(args, slurm_dir);
        std::string id = first_line(c.out);
        id = id.substr(0, id.find(';'));
        if (c.status != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
            std::string cancelled;
            if (!ids.empty()) {
                std::vector<std::string> cancel{"scancel"};
                cancel.insert(cancel.end(), ids.begin(), ids.end());
                capture(cancel, slurm_dir);
                cancelled = fmt::format(" (job(s) {} already submitted were cancelled)", fmt::join(ids, ", "));
            }
            throw Error(fmt::format("{}: sbatch refused the {} (exit {}): {}{}; the {} finished run(s) in {} are kept",
                                    l.sweep_file, what, c.status, c.err.empty() ? c.out : c.err, cancelled,
                                    l.runs.size() - todo.size(), l.out));
        }
        ids.push_back(id);
        return id;
    };
    const std::size_t n_tasks = tasks.size();
    for (std::size_t offset = 0; offset < n_tasks; offset += max_array) {
        const std::size_t n = std::min(max_array, n_tasks - offset);
        std::vector<std::string> args{"sbatch", "--parsable", "--job-name", "spark-sweep-" + l.name,
                                      "--array", fmt::format("0-{}{}", n - 1, o.throttle ? fmt::format("%{}", o.throttle) : ""),
                                      "--output", (slurm_dir / fmt::format("{}-%A_%a.out", token)).string()};
        args.insert(args.end(), common.begin(), common.end());
        args.insert(args.end(), {task_sh.string(), token, std::to_string(offset)});
        submit(args, fmt::format("job array of tasks {}..{}", offset, offset + n - 1));
    }
    const std::string arrays = fmt::format("{}", fmt::join(ids, ":"));
    std::vector<std::string> args{"sbatch", "--parsable", "--job-name", "spark-sweep-" + l.name + "-merge",
                                  "--dependency", "afterany:" + arrays, "--kill-on-invalid-dep=yes",
                                  "--output", (slurm_dir / fmt::format("{}-merge-%j.out", token)).string()};
    args.insert(args.end(), common.begin(), common.end());
    args.insert(args.end(), {merge_sh.string(), token});
    const std::string merge_id = submit(args, "merge job");
    fmt::print("submitted {} run(s) in {} array task(s) of up to {} run(s): job array(s) {}, merge job {}\n", todo.size(),
               n_tasks, per_task, fmt::format("{}", fmt::join(std::vector<std::string>(ids.begin(), ids.end() - 1), ", ")),
               merge_id);
    const fs::path marker = slurm_dir / fmt::format("merged-{}.json", token);
    if (!o.wait) {
        fmt::print("results: {}/results.csv once job {} has run\n", l.out, merge_id);
        return 0;
    }
    // Waiting: the merge job's marker on the shared folder, and squeue now and then in case the job died.
    const bool bar = isatty(STDERR_FILENO);
    auto last_check = Clock::now();
    int gone = 0;  // squeue no longer lists the merge job: twice in a row, as a shared folder may lag
    for (;;) {
        if (fs::exists(marker)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (seconds_since(last_check) < 2) continue;
        last_check = Clock::now();
        if (bar) {
            std::size_t done = 0;
            for (const RunSpec& r : l.runs) done += fs::exists(fs::path(l.out) / (r.rel + ".status.json"));
            draw(true, done, l.runs.size(), 0);
        }
        const Command q = capture({"squeue", "-h", "-j", merge_id, "-o", "%T"}, slurm_dir);
        gone = q.status == 0 && first_line(q.out).empty() ? gone + 1 : 0;
        if (gone >= 2 && !fs::exists(marker))
            throw Error(fmt::format("{}: the merge job {} ended without writing results.csv; see {}", l.sweep_file,
                                    merge_id, (slurm_dir / fmt::format("{}-merge-{}.out", token, merge_id)).string()));
    }
    if (bar) fmt::print(stderr, "\n");
    nlohmann::json m;
    try {
        m = nlohmann::json::parse(slurp(marker));
    } catch (const std::exception&) {
        throw Error(fmt::format("{}: unreadable", marker.string()));
    }
    const std::size_t failed = m.value("failed", std::size_t{0});
    if (failed) merge(l);  // lists the failed runs with their errors here, where the user is looking
    return failed;
}

int run_task(const std::string& out, const std::string& token, std::size_t index) {
    const Layout l = read_layout(out);
    const fs::path file = fs::path(l.out) / "slurm" / fmt::format("tasks-{}.json", token);
    if (!fs::exists(file))
        throw Error(fmt::format("{}: not visible on this node: the sweep's --out must be on a filesystem every node "
                                "mounts", file.string()));
    const nlohmann::json tasks = nlohmann::json::parse(slurp(file));
    if (index >= tasks.size()) throw Error(fmt::format("{}: no task {} (there are {})", file.string(), index, tasks.size()));
    int status = 0;
    for (const auto& i : tasks[index]) {
        const RunSpec& r = l.runs.at(i.get<std::size_t>());
        if (finished(l, r)) continue;
        const auto t = Clock::now();
        pid_t pid = 0;
        try {
            pid = start_run(l, r);
        } catch (const Error& e) {
            fail_run(l, r, e.what());
            fmt::print("{}: failed: {}\n", r.rel, e.what());
            status = 1;
            continue;
        }
        int ws = 0;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
        }
        const Outcome o = finish_run(l, r, ws, seconds_since(t));
        fmt::print("{}: {}{}\n", r.rel, o.ok ? "ok" : "failed: ", o.error);
        if (!o.ok) status = 1;
    }
    return status;
}

int run_merge_job(const std::string& out, const std::string& token) {
    const Layout l = read_layout(out);
    const std::size_t failed = merge(l);
    write_atomic((fs::path(l.out) / "slurm" / fmt::format("merged-{}.json", token)).string(),
                 nlohmann::json({{"failed", failed}, {"runs", l.runs.size()}}).dump() + "\n");
    fmt::print("{}/results.csv: {} run(s), {} without a result\n", l.out, l.runs.size(), failed);
    return 0;
}

}  // namespace spark::sweep
