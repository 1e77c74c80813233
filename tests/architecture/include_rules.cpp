// IncludeRules: parsing the architecture table and walking a tree (see include_rules.h).
#include "include_rules.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace pulse::test {

namespace {

std::string trim(const std::string &s)
{
    const auto first = s.find_first_not_of(" \t`");
    const auto last = s.find_last_not_of(" \t`");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

std::vector<std::string> cells(const std::string &row)
{
    std::vector<std::string> out;
    std::stringstream in(row);
    std::string cell;
    std::getline(in, cell, '|'); // before the first bar
    while (std::getline(in, cell, '|'))
        out.push_back(trim(cell));
    if (!out.empty() && out.back().empty())
        out.pop_back();
    return out;
}

/// kThirdPartyInclude: headers whose types must stay out of public headers (compile times, and the
/// boundary: nothing above a module needs to know what it is built on).
const std::regex kThirdPartyInclude(R"(^\s*#\s*include\s*<(boost/|sqlite3\.h|openssl/|yaml-cpp/))");
const std::regex kThirdPartyName(R"(\b(sqlite3|sqlite3_stmt|ssl_st|SSL_CTX|X509|YAML::|boost::)\b)");
const std::regex kForwardDeclaration(R"(^\s*struct\s+\w+\s*;)");
const std::regex kProjectInclude(R"re(^\s*#\s*include\s*"([^"]+)")re");
const std::regex kSectionStart(R"(^\s*(public|private|protected)\s*:)");
const std::regex kTypeStart(R"(^(class|struct)\s+\w+[^;]*$)"); // a definition at namespace level
const std::regex kComment(R"(^\s*(//|/\*|\*))");

} // namespace

std::optional<IncludeRules> IncludeRules::parse(const std::string &markdown, std::string *error)
{
    IncludeRules rules;
    std::stringstream in(markdown);
    std::string line;
    bool inSection = false;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) {
            inSection = line == "## Libraries and what they may include";
            continue;
        }
        if (!inSection || line.rfind("| `", 0) != 0)
            continue;
        const auto c = cells(line);
        if (c.size() != 4 && c.size() != 3) {
            *error = "a row of the table does not have its columns: " + line;
            return std::nullopt;
        }
        const std::string &name = c[0];
        std::string folder = c[1];
        if (folder.empty() || folder.back() != '/') {
            *error = "the folder of '" + name + "' must end in '/': ";
            *error += folder;
            return std::nullopt;
        }
        rules.m_folders[name] = folder;
        auto &deps = rules.m_deps[name];
        std::stringstream list(c[2]);
        std::string dep;
        while (std::getline(list, dep, ',')) {
            dep = trim(dep);
            if (!dep.empty() && dep != "—")
                deps.push_back(dep);
        }
    }
    if (rules.m_folders.empty()) {
        *error = "no table under \"## Libraries and what they may include\"";
        return std::nullopt;
    }
    for (const auto &[name, deps] : rules.m_deps) {
        for (const std::string &dep : deps) {
            if (!rules.m_folders.contains(dep)) {
                *error = "'" + name + "' may include '";
                *error += dep;
                *error += "', which is not a library of the table";
                return std::nullopt;
            }
        }
    }
    return rules;
}

std::optional<std::string> IncludeRules::libraryOf(const std::string &path) const
{
    std::optional<std::string> best;
    std::size_t bestLength = 0;
    for (const auto &[name, folder] : m_folders) {
        if (path.rfind(folder, 0) == 0 && folder.size() > bestLength) {
            best = name;
            bestLength = folder.size();
        }
    }
    return best;
}

std::set<std::string> IncludeRules::allowed(const std::string &library) const
{
    std::set<std::string> out{library};
    std::vector<std::string> todo{library};
    while (!todo.empty()) {
        const std::string next = todo.back();
        todo.pop_back();
        const auto it = m_deps.find(next);
        if (it == m_deps.end())
            continue;
        for (const std::string &dep : it->second) {
            if (out.insert(dep).second)
                todo.push_back(dep);
        }
    }
    return out;
}

std::vector<Violation> IncludeRules::check(const std::string &root) const
{
    namespace fs = std::filesystem;
    std::set<std::string> files;
    for (const auto &[name, folder] : m_folders) {
        const fs::path dir = fs::path(root) / folder;
        if (!fs::is_directory(dir))
            continue;
        for (const auto &entry : fs::recursive_directory_iterator(dir)) {
            const auto ext = entry.path().extension();
            if (entry.is_regular_file() && (ext == ".h" || ext == ".cpp"))
                files.insert(fs::relative(entry.path(), root).generic_string());
        }
    }
    std::vector<Violation> out;
    for (const std::string &file : files)
        checkFile(root, file, out);
    return out;
}

void IncludeRules::checkFile(const std::string &root, const std::string &relative, std::vector<Violation> &out) const
{
    const auto library = libraryOf(relative);
    if (!library)
        return;
    const std::set<std::string> may = allowed(*library);
    const bool publicHeader = relative.ends_with(".h") && relative.find("/detail/") == std::string::npos;
    std::ifstream in(std::filesystem::path(root) / relative);
    std::string line;
    bool hidden = false; // inside a private or protected section
    for (int number = 1; std::getline(in, line); ++number) {
        std::smatch m;
        if (std::regex_search(line, m, kProjectInclude)) {
            const std::string target = m[1];
            const auto owner = libraryOf(target);
            if (owner && !may.contains(*owner))
                out.push_back({relative, number,
                               "'" + *library + "' may not include '" + target + "' (library '" + *owner +
                                   "'; see docs/architecture.md)"});
        }
        if (!publicHeader)
            continue;
        if (std::regex_search(line, m, kSectionStart))
            hidden = m[1] != "public";
        else if (std::regex_search(line, m, kTypeStart))
            hidden = m[1] == "class"; // a class starts private, a struct public
        else if (line.rfind("};", 0) == 0)
            hidden = false;
        if (std::regex_search(line, kThirdPartyInclude)) {
            out.push_back({relative, number, "a public header includes a third-party header: " + trim(line)});
            continue;
        }
        if (!hidden && !std::regex_search(line, kForwardDeclaration) && !std::regex_search(line, kComment) &&
            std::regex_search(line, m, kThirdPartyName))
            out.push_back({relative, number,
                           "a public header names the third-party type '" + m[1].str() +
                               "' outside a private section"});
    }
}

} // namespace pulse::test
