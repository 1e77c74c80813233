// Names of target kinds as the config file spells them.
#include "core/config/target_config.h"

#include "core/base/enum_names.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace pulse {
namespace {

// In enum order, so an enum's value indexes its name.
constexpr std::array<std::string_view, 8> kKindNames{"prometheus", "http", "json", "graphql",
                                                     "tcp",        "host", "log",  "promql"};

} // namespace

std::span<const std::string_view> targetKindNames()
{
    return kKindNames;
}

std::string_view targetKindName(TargetKind kind)
{
    return enumName(kKindNames, kind);
}

std::optional<TargetKind> targetKindFromName(std::string_view name)
{
    return enumFromName<TargetKind>(kKindNames, name);
}

bool usesHttp(TargetKind kind)
{
    switch (kind) {
    case TargetKind::Prometheus:
    case TargetKind::Http:
    case TargetKind::Json:
    case TargetKind::GraphQL:
    case TargetKind::PromQL:
        return true;
    case TargetKind::Tcp:
    case TargetKind::Host:
    case TargetKind::Log:
        return false;
    }
    return false;
}

bool sameHeaderName(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool TargetConfig::isSecretHeader(std::string_view name) const
{
    return looksLikeCredentialName(name) ||
           std::any_of(secretHeaders.begin(), secretHeaders.end(),
                       [name](const std::string &secret) { return sameHeaderName(secret, name); });
}

} // namespace pulse
