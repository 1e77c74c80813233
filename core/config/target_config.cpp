// Names of target kinds as the config file spells them, and the key tables of each kind.
#include "core/config/target_config.h"

#include "core/base/enum_names.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

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
    return std::visit([](const auto &o) { return requires { o.http; }; }, optionsFor(kind));
}

bool sameHeaderName(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool HttpTargetOptions::isSecretHeader(std::string_view name) const
{
    return looksLikeCredentialName(name) ||
           std::any_of(secretHeaders.begin(), secretHeaders.end(),
                       [name](const std::string &secret) { return sameHeaderName(secret, name); });
}

namespace {

constexpr std::array<TargetKey, 5> kCommonKeys{
    {{"name", true}, {"kind", true}, {"interval"}, {"timeout"}, {"labels"}}};

// The variant's alternatives are in TargetKind order, so a kind's index picks its options.
template <std::size_t... I> constexpr bool kindsInOrder(std::index_sequence<I...>)
{
    return ((std::variant_alternative_t<I, TargetOptions>::kKind == static_cast<TargetKind>(I)) && ...);
}
static_assert(kindsInOrder(std::make_index_sequence<std::variant_size_v<TargetOptions>>()));
static_assert(std::variant_size_v<TargetOptions> == kKindNames.size());

template <std::size_t... I> TargetOptions optionsAt(std::size_t index, std::index_sequence<I...>)
{
    TargetOptions out;
    (void)((index == I ? (out = std::variant_alternative_t<I, TargetOptions>{}, true) : false) || ...);
    return out;
}

} // namespace

TargetOptions optionsFor(TargetKind kind)
{
    return optionsAt(static_cast<std::size_t>(kind), std::make_index_sequence<std::variant_size_v<TargetOptions>>());
}

std::span<const TargetKey> commonTargetKeys()
{
    return kCommonKeys;
}

std::vector<TargetKey> targetKeys(TargetKind kind)
{
    std::vector<TargetKey> keys(kCommonKeys.begin(), kCommonKeys.end());
    if (usesHttp(kind))
        keys.insert(keys.end(), HttpTargetOptions::kKeys.begin(), HttpTargetOptions::kKeys.end());
    std::visit([&](const auto &options) { keys.insert(keys.end(), options.kKeys.begin(), options.kKeys.end()); },
               optionsFor(kind));
    return keys;
}

const HttpTargetOptions *TargetConfig::http() const
{
    return std::visit(
        [](const auto &o) -> const HttpTargetOptions * {
            if constexpr (requires { o.http; })
                return &o.http;
            else
                return nullptr;
        },
        options);
}

std::string TargetConfig::endpoint() const
{
    if (const auto *h = http())
        return redactUrlSecrets(h->url);
    if (const auto *tcp = as<TcpOptions>())
        return tcp->address;
    if (const auto *log = as<LogOptions>())
        return log->path;
    return {};
}

HttpTargetOptions *TargetConfig::http()
{
    return const_cast<HttpTargetOptions *>(std::as_const(*this).http()); // NOLINT(cppcoreguidelines-pro-type-const-cast): one body for both
}

} // namespace pulse
