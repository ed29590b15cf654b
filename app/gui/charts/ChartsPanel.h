#pragma once

#include "charts/ChartPalette.h"
#include "charts/SeriesSum.h"
#include "pipeline/SeriesKeys.h"
#include "runtime/FactorChanges.h"

#include <QHash>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <memory>

class QComboBox;
class QGridLayout;
class QTabBar;
class QToolButton;

namespace greenpulse::core {
class SeriesStore;
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

class TimeChart;
struct ChartBand;
struct ChartLine;

// The live charts, sharing one time window: power per host with the jobs' spans as lanes, energy,
// CO2e and water per job, coolant temperature and flow per host.
// A 33 ms timer redraws only when the SeriesStore's revision changed (or once a second so the
// time axis keeps moving), one chart per tick, with one replace() per series run, from the
// store's bounded buffers.
// With many hosts only the top `maxSeries` by latest value are drawn, plus "others": the power of
// every other host together (the sum of all, kept incrementally by a SeriesSum, minus the top).
// Lines break where the processor had no sample (a silent host, a broker outage); the stretches
// in which the processor was not connected to the broker are shaded on every chart.
// Views (a short window keeps the jobs table readable): every chart in a grid, one chart at a
// time (a tab each), or none (the panel collapsed to its title row). Hidden charts are still
// drawn, so a switch shows them at once.
// A job's span is drawn only where its series have points (not over charts left empty by a
// restart), and the carbon chart marks where the carbon intensity in force changed
// (FactorChanges).
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
    int maxSeries() const { return m_maxSeries; }
    static constexpr int kDefaultMaxSeries = 8;

    // Linked highlighting: the job's line on the job charts, its span and its hosts' lines on the
    // power and coolant charts drawn bold, the rest faded; empty: none. The filter text (the jobs
    // table's) highlights the jobs whose id or hosts contain it, and the hosts of those jobs.
    void highlightJob(const QString &jobId);
    void setFilterText(const QString &text);

    // Which host and job took which colour and line style (ChartPalette), to keep across restarts.
    QVariantMap colors() const;
    void restoreColors(const QVariantMap &colors);

    void refresh();                                         // redraw every chart now
    quint64 redrawCount() const { return m_redraws; }       // redraw cycles (all charts)
    quint64 chartDrawCount() const { return m_chartDraws; } // single charts drawn

    // Spans in which the processor was not connected to the broker (ms since the epoch; the last
    // one open while disconnected, to = 0), newest last, at most 32 (a job's report lists them).
    struct Outage
    {
        double fromMs = 0;
        double toMs = 0;
    };
    const QVector<Outage> &outages() const { return m_outages; }

    TimeChart *powerChart() const { return m_power; }
    TimeChart *energyChart() const { return m_energy; }
    TimeChart *carbonChart() const { return m_carbon; }
    TimeChart *waterChart() const { return m_water; }
    TimeChart *coolantChart() const { return m_coolant; }
    QComboBox *windowBox() const { return m_windowBox; }

    // The chart views by name, in tab order: "all", then one per chart ("power", "coolant",
    // "energy", "carbon", "water"). An unknown name is ignored.
    static QStringList viewNames();
    void setView(const QString &name); // a choice (as a click on a tab): kept by fitView()
    QString view() const;
    bool isViewChosen() const { return m_viewChosen; }
    // Until a view is chosen: "all" where there is room for it, else "power" alone.
    void fitView(bool roomForAll);
    void setCollapsed(bool collapsed); // only the title row (the toggle, tabs hidden)
    bool isCollapsed() const { return m_collapsed; }
    // The height the panel needs at least for a view, with its title row.
    int minimumHeightFor(const QString &view) const;
    QTabBar *viewTabs() const { return m_tabs; }
    QToolButton *collapseButton() const { return m_toggle; }

signals:
    void windowChanged(int seconds);
    void viewChosen(const QString &name); // by setView() or a tab, not by fitView()
    void collapsedChanged(bool collapsed);

private:
    struct Collected
    {
        QString name;
        QVector<QPointF> points;
        double latest = 0;
    };
    // The `maxSeries` series of `prefix` with the largest newest values that have points in the
    // window; *total: how many have.
    QVector<Collected> collect(core::serieskeys::Kind kind, double fromMs, int *total) const;
    QVector<ChartLine> powerLines(double fromMs, QString *note);
    QVector<ChartLine> coolantLines(double fromMs, QString *note);
    QVector<ChartLine> jobLines(core::serieskeys::Kind kind, double fromMs, QString *note);
    QVector<ChartBand> jobBands(double fromMs, double toMs);
    QVector<ChartBand> outageBands(double fromMs, double toMs) const;
    void trackOutage(const core::ProcessorSnapshot &snapshot);
    void applyEmphasis();
    void onTimer();
    void startCycle();
    void drawChart(int chart); // 0 power, 1 coolant, 2 energy, 3 carbon, 4 water
    QWidget *titleRow();
    void layOut(); // the grid for the view and the collapsed state

    static constexpr int kChartCount = 5;

    const core::SeriesStore &m_store;
    std::shared_ptr<const core::ProcessorSnapshot> m_snapshot;
    TimeChart *m_power = nullptr;
    TimeChart *m_energy = nullptr;
    TimeChart *m_carbon = nullptr;
    TimeChart *m_water = nullptr;
    TimeChart *m_coolant = nullptr;
    QComboBox *m_windowBox = nullptr;
    QToolButton *m_toggle = nullptr;
    QTabBar *m_tabs = nullptr;
    QWidget *m_titleRow = nullptr;
    QWidget *m_body = nullptr; // the charts' grid
    QGridLayout *m_grid = nullptr;
    int m_gridChartHeight = 0; // a chart's minimum height in the grid (TimeChart's)
    bool m_collapsed = false;
    bool m_viewChosen = false;
    bool m_fitting = false; // fitView() is switching tabs
    FactorChanges m_factors;
    ChartPalette m_hostColors;
    ChartPalette m_jobColors{3};
    SeriesSum m_powerTotal{core::serieskeys::prefix(core::serieskeys::Kind::Power),
                           6.5 * 3600 * 1000}; // the longest window
    QTimer m_timer;
    int m_windowSeconds = 15 * 60;
    int m_maxSeries = kDefaultMaxSeries;
    QVector<Outage> m_outages;
    bool m_everConnected = false;
    QString m_highlightJob;
    QString m_filterText;
    quint64 m_lastRevision = ~quint64(0);
    qint64 m_lastDrawMs = 0;
    bool m_dirty = true;
    quint64 m_redraws = 0;
    quint64 m_chartDraws = 0;
    int m_nextChart = kChartCount; // the next chart of the cycle in progress
};

} // namespace greenpulse::app
