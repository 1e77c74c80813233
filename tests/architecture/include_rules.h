// IncludeRules: the module graph of docs/architecture.md as data, and a checker that holds a source
// tree to it. The table is parsed from the document itself, so the document cannot drift from what
// the test enforces.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pulse::test {

/// Violation is one include (or one line of a public header) against the rules.
struct Violation {
    std::string file; ///< relative to the tree's root
    int line = 0;
    std::string message;
    std::string text() const { return file + ":" + std::to_string(line) + ": " + message; }
};

class IncludeRules {
public:
    /// parse reads the table under the heading "## Libraries and what they may include": rows of
    /// `| \`name\` | \`folder/\` | dep, dep |` ("—" for none). An error names what is missing.
    static std::optional<IncludeRules> parse(const std::string &markdown, std::string *error);

    /// check reads every .h and .cpp under the libraries' folders in `root` and returns what breaks
    /// the rules: an include of another library's header that the including library may not include
    /// (directly or through the libraries it may include), and in public headers (not under a
    /// `detail/` folder) an include of Boost, SQLite, OpenSSL or yaml-cpp, or those libraries' types
    /// outside a private or protected section.
    std::vector<Violation> check(const std::string &root) const;

    /// libraryOf is the library whose folder is the longest prefix of `path`, if any.
    std::optional<std::string> libraryOf(const std::string &path) const;
    /// allowed is every library `library` may include: its own and the closure of its dependencies.
    std::set<std::string> allowed(const std::string &library) const;
    std::size_t size() const { return m_folders.size(); }

private:
    void checkFile(const std::string &root, const std::string &relative, std::vector<Violation> &out) const;

    std::map<std::string, std::string> m_folders;            ///< library -> folder ("core/base/")
    std::map<std::string, std::vector<std::string>> m_deps;  ///< library -> what it may include
};

} // namespace pulse::test
