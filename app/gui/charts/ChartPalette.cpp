#include "charts/ChartPalette.h"

#include <array>

namespace greenpulse::app {

namespace {
// Tableau-like categorical colours.
constexpr std::array<QRgb, 12> kColors = {
    0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0x76b7b2, 0xedc948,
    0xb07aa1, 0xff9da7, 0x9c755f, 0x17becf, 0xbcbd22, 0x7f7fff,
};
} // namespace

QColor ChartPalette::colorFor(const QString &name)
{
    auto it = m_assigned.constFind(name);
    if (it == m_assigned.constEnd()) {
        it = m_assigned.insert(name, m_next++);
    }
    return QColor::fromRgb(kColors[static_cast<size_t>(it.value()) % kColors.size()]);
}

} // namespace greenpulse::app
