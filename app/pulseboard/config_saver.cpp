// savedConfigText: in-place edit of the dashboards section, verified by a reload.
#include "app/pulseboard/config_saver.h"

#include "core/config/config_loader.h"
#include "core/config/secret.h"

namespace pulse {
namespace {

/// holdsCredentials: a whole-config dump would print some credential as `<secret>` (a Secret, a
/// credential header, a token in a URL), so writing it would replace the real value.
bool holdsCredentials(const Config &config)
{
    for (const auto &t : config.targets) {
        const HttpTargetOptions *h = t.http();
        if (!h)
            continue;
        if (h->bearerToken.isSet() || h->basicAuth || redactUrlSecrets(h->url) != h->url)
            return true;
        for (const auto &[name, value] : h->headers)
            if (h->isSecretHeader(name))
                return true;
    }
    return false;
}

} // namespace

Result<std::string> savedConfigText(const Config &config, const std::optional<std::string> &original,
                                    const std::string &fileName)
{
    const std::string wanted = dumpDashboards(config.dashboards);
    std::string whyNotInPlace;
    if (original) {
        auto patched = replaceTopLevelSection(*original, "dashboards", wanted);
        if (patched) {
            const auto reloaded = loadConfig(*patched, fileName);
            if (reloaded && dumpDashboards(reloaded->dashboards) == wanted)
                return *patched;
            whyNotInPlace = reloaded ? "the edited file read back differently"
                                     : "the edited file does not load: " + formatDiagnostic(reloaded.error().front());
        } else {
            whyNotInPlace = patched.error().message;
        }
    }
    if (holdsCredentials(config))
        return fail("this config holds credentials and its dashboards could not be edited in place (" + whyNotInPlace +
                    "); edit the file instead");
    std::string whole = dumpConfig(config);
    if (whole.find("<secret>") != std::string::npos) // whatever else is redacted: never write it over a value
        return fail("the config could not be edited in place (" + whyNotInPlace +
                    ") and a rewrite would replace a credential with <secret>; edit the file instead");
    return whole;
}

} // namespace pulse
