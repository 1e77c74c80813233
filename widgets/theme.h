// Light and dark looks for the whole application, charts included.
#pragma once

namespace pulse {

/// applyTheme switches the application palette: dark = a Fusion dark palette; light = the
/// platform's own palette (so the default follows the system).
void applyTheme(bool dark);

} // namespace pulse
