#pragma once

#include <QColor>
#include <QHash>
#include <QString>
#include <QVariantMap>

namespace greenpulse::app {

struct SeriesStyle
{
    QColor color;
    Qt::PenStyle penStyle = Qt::SolidLine;
};

// Colours for series by name, safe for colour-blind readers: the seven Okabe-Ito colours (black
// left out: it vanishes on the dark palette) times four line styles, 28 distinguishable looks.
// A name's look comes from a fixed hash of the name, so it is the same in every chart, in every
// window and after a restart; a name whose look is already taken by another name in this palette
// takes the next free one (the first names keep theirs). Which name took which look is saved with
// the window's state (assignments(), restore()), so a name that had to move keeps its look after
// a restart too, whatever order the names come back in.
class ChartPalette
{
public:
    // `offset` shifts every slot, so two palettes (hosts and jobs) differ for the same name.
    explicit ChartPalette(int offset = 0) : m_offset(offset) {}
    SeriesStyle styleFor(const QString &name);
    QColor colorFor(const QString &name) { return styleFor(name).color; }
    static QColor othersColor() { return QColor(0x8c, 0x8c, 0x8c); }
    static int slotCount();
    static SeriesStyle slotStyle(int slot);
    // FNV-1a of the name's UTF-16: the same in every process (unlike qHash, which is seeded).
    static quint32 stableHash(const QString &name);

    // name -> slot of every name given a look; restore() takes such a map back (before any
    // styleFor(), names already given a look keep theirs; slots out of range are ignored).
    QVariantMap assignments() const;
    void restore(const QVariantMap &assignments);

private:
    static constexpr int kMaxRemembered = 1024; // names; beyond that the map starts afresh
    QHash<QString, int> m_assigned;
    QHash<int, int> m_slotUse; // slot -> names holding it
    int m_offset;
};

} // namespace greenpulse::app
