#include "charts/ChartPalette.h"

#include <array>

namespace greenpulse::app {

namespace {
// Okabe & Ito (2008), "Color Universal Design", without black.
constexpr std::array<QRgb, 7> kColors = {
    0xe69f00, // orange
    0x56b4e9, // sky blue
    0x009e73, // bluish green
    0xf0e442, // yellow
    0x0072b2, // blue
    0xd55e00, // vermillion
    0xcc79a7, // reddish purple
};
constexpr std::array<Qt::PenStyle, 4> kStyles = {Qt::SolidLine, Qt::DashLine, Qt::DotLine,
                                                 Qt::DashDotLine};
} // namespace

int ChartPalette::slotCount()
{
    return static_cast<int>(kColors.size() * kStyles.size());
}

SeriesStyle ChartPalette::slotStyle(int slot)
{
    // Colours first: the first seven slots are the seven colours, solid.
    const auto s = static_cast<size_t>(slot % slotCount());
    return {QColor::fromRgb(kColors[s % kColors.size()]), kStyles[s / kColors.size()]};
}

quint32 ChartPalette::stableHash(const QString &name)
{
    quint32 h = 2166136261u;
    for (QChar c : name) {
        h = (h ^ c.unicode()) * 16777619u;
    }
    return h;
}

SeriesStyle ChartPalette::styleFor(const QString &name)
{
    auto it = m_assigned.constFind(name);
    if (it == m_assigned.constEnd()) {
        if (m_assigned.size() >= kMaxRemembered) {
            m_assigned.clear();
            m_slotUse.clear();
        }
        // The hash picks a colour among the seven; a taken look moves on to the next colour,
        // then to the next line style, then (all 28 taken) shares the least used one.
        const int count = slotCount();
        const int preferred =
            static_cast<int>((stableHash(name) + static_cast<quint32>(m_offset)) % kColors.size());
        int slot = -1;
        for (int i = 0; i < count && slot < 0; ++i) {
            const int candidate = (preferred + i) % count;
            if (m_slotUse.value(candidate) == 0) {
                slot = candidate;
            }
        }
        if (slot < 0) {
            slot = preferred;
            for (int i = 0; i < count; ++i) {
                slot = m_slotUse.value(i) < m_slotUse.value(slot) ? i : slot;
            }
        }
        m_slotUse[slot] += 1;
        it = m_assigned.insert(name, slot);
    }
    return slotStyle(it.value());
}

QVariantMap ChartPalette::assignments() const
{
    QVariantMap out;
    for (auto it = m_assigned.cbegin(); it != m_assigned.cend(); ++it) {
        out.insert(it.key(), it.value());
    }
    return out;
}

void ChartPalette::restore(const QVariantMap &assignments)
{
    for (auto it = assignments.cbegin(); it != assignments.cend(); ++it) {
        bool ok = false;
        const int slot = it.value().toInt(&ok);
        if (!ok || slot < 0 || slot >= slotCount() || m_assigned.contains(it.key()) ||
            m_assigned.size() >= kMaxRemembered) {
            continue;
        }
        m_assigned.insert(it.key(), slot);
        m_slotUse[slot] += 1;
    }
}

} // namespace greenpulse::app
