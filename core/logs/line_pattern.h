// LinePattern: a compiled regular expression as log parsing uses one — the regex format's pattern
// with named groups, a multi-line record's start pattern.
//
// An interface, and its compiler a parameter of the code that builds parsers (LogLineParser::create,
// MultilineJoiner::create), so that code which parses only the fixed formats links no regex engine:
// pulsectl's front parses logs without loading Qt (app/pulsectl/front_main.cpp), which halves its
// memory. compileLinePattern is the one implementation (QRegularExpression, Perl syntax).
#pragma once

#include "core/base/error.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

class LinePattern {
public:
    virtual ~LinePattern() = default;
    /// Captures are a match's groups by index (0: the whole match); nullopt for a group that took no
    /// part in it.
    using Captures = std::vector<std::optional<std::string>>;
    /// search says whether the pattern matches somewhere in line (not anchored).
    virtual bool search(std::string_view line) const = 0;
    /// match is search() with the groups captured; nullopt when there is no match. Invalid UTF-8 in
    /// line reads as U+FFFD.
    virtual std::optional<Captures> match(std::string_view line) const = 0;
    /// groupNames are the groups' names by index, "" for an unnamed one (index 0 too).
    virtual std::vector<std::string> groupNames() const = 0;
};

/// LinePatternCompiler compiles a pattern, or says why it cannot (naming the offset).
using LinePatternCompiler = Result<std::shared_ptr<const LinePattern>> (*)(std::string_view pattern);

/// compileLinePattern compiles a Perl-compatible pattern (QRegularExpression), optimized at once
/// rather than at its first line on whichever thread reads it. Thread-safe to use from any thread.
Result<std::shared_ptr<const LinePattern>> compileLinePattern(std::string_view pattern);

} // namespace pulse
