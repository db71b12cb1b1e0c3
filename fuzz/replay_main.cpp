// SPDX-License-Identifier: Apache-2.0
// Replays files through a fuzz target without libFuzzer, so the normal (and the sanitizer) test suite re-runs the
// seed corpus and every input that once crashed. Usage: <target> CORPUS [FILE_OR_FOLDER...]: the corpus (first
// argument) must exist and hold inputs, so a moved or emptied corpus fails instead of replaying nothing; later
// arguments (regressions) may be absent.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int replay(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "error: cannot open %s\n", file.c_str());
        return 1;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A copy of exactly `size` bytes, so ASan sees any read past the end as libFuzzer would.
    std::vector<std::uint8_t> exact(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int failures = 0;
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        if (std::filesystem::is_directory(arg)) {
            std::vector<std::filesystem::path> files;
            for (const auto& e : std::filesystem::directory_iterator(arg))
                if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) failures += replay(f), ++replayed;
        } else if (std::filesystem::exists(arg)) {
            failures += replay(arg), ++replayed;
        }
        if (i == 1 && replayed == 0) {
            std::fprintf(stderr, "error: the corpus %s is missing or holds no input\n", argv[1]);
            return 1;
        }
    }
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS [FILE_OR_FOLDER...]\n", argv[0]);
        return 2;
    }
    std::printf("replayed %zu inputs\n", replayed);
    return failures == 0 ? 0 : 1;
}
