// savedConfigText: in-place edit of the dashboards section, verified by a reload.
#include "app/pulseboard/config_saver.h"

#include "core/config_loader.h"

namespace pulse {
namespace {

bool holdsCredentials(const Config &config)
{
    for (const auto &t : config.targets)
        if (t.bearerToken.isSet() || t.basicAuth)
            return true;
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
    return dumpConfig(config);
}

} // namespace pulse
