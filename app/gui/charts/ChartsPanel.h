#pragma once

#include "ChartPalette.h"

#include <QHash>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <memory>

class QComboBox;

namespace greenpulse::core {
class SeriesStore;
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

class TimeChart;
struct ChartLine;

// The live charts, sharing one time window: power per host with the jobs' spans shaded, kWh,
// kg CO2e and litres per job, coolant temperature and flow per host.
// A 33 ms timer redraws only when the SeriesStore's revision changed (or once a second so the
// time axis keeps moving), with one replace() per series, from the store's bounded buffers.
// With many hosts only the top `maxSeries` by latest value are drawn, plus "others".
class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(const core::SeriesStore &store, QWidget *parent = nullptr);
    ~ChartsPanel() override;

    static QVector<int> windowChoicesSeconds(); // 5 min, 15 min, 1 h, 6 h
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }
    void setMaxSeries(int count) { m_maxSeries = count; }
    void setSnapshot(std::shared_ptr<const core::ProcessorSnapshot> snapshot);

    void refresh(); // redraw now
    quint64 redrawCount() const { return m_redraws; }

    TimeChart *powerChart() const { return m_power; }
    TimeChart *energyChart() const { return m_energy; }
    TimeChart *carbonChart() const { return m_carbon; }
    TimeChart *waterChart() const { return m_water; }
    TimeChart *coolantChart() const { return m_coolant; }
    QComboBox *windowBox() const { return m_windowBox; }

signals:
    void windowChanged(int seconds);

private:
    struct Collected
    {
        QString name;
        QVector<QPointF> points;
        double latest = 0;
    };
    QVector<Collected> collect(const QString &prefix, double fromMs) const;
    QVector<ChartLine> hostLines(const QString &prefix, double fromMs, bool sumOthers, bool dashed,
                                 bool secondary, QString *note, bool inLegend = true);
    QVector<ChartLine> jobLines(const QString &prefix, double fromMs, QString *note);
    void onTimer();

    const core::SeriesStore &m_store;
    std::shared_ptr<const core::ProcessorSnapshot> m_snapshot;
    TimeChart *m_power = nullptr;
    TimeChart *m_energy = nullptr;
    TimeChart *m_carbon = nullptr;
    TimeChart *m_water = nullptr;
    TimeChart *m_coolant = nullptr;
    QComboBox *m_windowBox = nullptr;
    ChartPalette m_hostColors;
    ChartPalette m_jobColors{6};
    QTimer m_timer;
    int m_windowSeconds = 15 * 60;
    int m_maxSeries = 20;
    quint64 m_lastRevision = ~quint64(0);
    qint64 m_lastDrawMs = 0;
    bool m_dirty = true;
    quint64 m_redraws = 0;
};

} // namespace greenpulse::app
