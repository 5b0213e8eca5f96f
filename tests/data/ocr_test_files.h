// Helpers of the data tests on text (PaddleOCR) data: PNGs and label files
// written at test time, and the message of a DataError. Included as
// "ocr_test_files.h" by this folder's tests only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace bespoke::test {

// Writes a w x h PNG of `channels` interleaved channels (parent folders created).
void write_test_png(const std::filesystem::path& path, int width, int height, int channels,
                    const std::vector<uint8_t>& pixels);
// A w x h PNG of one colour (`colour` has one value per channel).
void write_flat_png(const std::filesystem::path& path, int width, int height, const std::vector<uint8_t>& colour);
// Writes `text` as is (parent folders created).
void write_text_file(const std::filesystem::path& path, const std::string& text);
// The what() of the data::DataError `f` throws, "" when it throws none.
std::string data_error_of(const std::function<void()>& f);

}  // namespace bespoke::test
