#ifndef MassMailingFuzz_FuzzInput_INCLUDED
#define MassMailingFuzz_FuzzInput_INCLUDED

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace MassMailingFuzz
{
/// The fuzzer's bytes as a string.
inline std::string textOf(const std::uint8_t* data, std::size_t size)
{
    return std::string(reinterpret_cast<const char*>(data), size);
}

/// The bytes cut into `count` fields at the first count - 1 newlines (the last field keeps the
/// rest, newlines included); missing fields are empty. Seeds stay readable text files.
inline std::vector<std::string> fieldsOf(const std::uint8_t* data, std::size_t size, std::size_t count)
{
    std::string text = textOf(data, size);
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (fields.size() + 1 < count)
    {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            break;
        fields.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    fields.push_back(start <= text.size() ? text.substr(start) : "");
    fields.resize(count);
    return fields;
}
} // namespace MassMailingFuzz

#endif
