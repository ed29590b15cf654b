#pragma once

#include "accounting/LedgerConfig.h"
#include "influx/InfluxOptions.h"
#include "mqtt/MqttClient.h"

#include <QMainWindow>
#include <QPointer>

class QMenu;
class QMessageBox;
class QSplitter;

namespace greenpulse::core {
class SeriesStore;
} // namespace greenpulse::core

namespace greenpulse::app {

class ChartBackfill;
class ChartsPanel;
class ControlsPanel;
class FreshnessBanner;
class GuiSettings;
class HeaderCards;
class JobController;
class JobReportExporter;
class JobsPanel;
class LaunchControl;
class LauncherPanel;
class LedgerSourceLabel;
class SettingsDialog;
class SnapshotSource;
class StatusBar;

// The operator's dashboard: headline cards, job controls, live charts, the jobs table and a
// status bar. It owns no back-end object: main() builds them and passes them in.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // `backend`: the own processor (Backend) or a followed one's ledger (FollowBackend).
    MainWindow(SnapshotSource &backend, const core::SeriesStore &series, JobController &jobs,
               GuiSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    HeaderCards *cards() const { return m_cards; }
    ChartsPanel *charts() const { return m_charts; }
    JobsPanel *jobsPanel() const { return m_jobsPanel; }
    ControlsPanel *controls() const { return m_controls; }
    StatusBar *statusPanel() const { return m_status; }
    FreshnessBanner *banner() const { return m_banner; }
    JobReportExporter *reports() const { return m_reports; } // the jobs table's "Job report…"

    LauncherPanel *launcherPanel() const { return m_launcherPanel; }

    // What Start and Stop run (docs/dashboard.md, "Launchers"): shown next to the buttons, with
    // its form under them. Without it, Start only publishes a label, as before.
    void setLaunchControl(LaunchControl &launch);
    // Fills the charts from InfluxDB now and whenever their window is widened; its failures go
    // to the status bar; the settings' InfluxDB options go to it (docs/dashboard.md).
    void setBackfill(ChartBackfill &backfill);

    // What the buttons do (public for tests and scripting).
    QString startJob(); // returns the job id, empty if nothing was published
    // Asks to stop the selected running job (or the last one started here) and stops it once
    // confirmed (StopConfirmation.h); returns the job asked about, empty if none.
    QString stopJob();
    void toggleDemo();
    bool exportCsv(const QString &path, QString *error = nullptr) const;

    // Opens the settings dialog (non-modal, so the window stays live); OK saves and applies.
    SettingsDialog *openSettings();
    // Applies what the settings hold now: ledger config, MQTT clients, InfluxDB writer.
    void applySettings();

    // Stops the processor cleanly (final tick, state saved, writer drained briefly). Also done
    // when the window closes.
    void shutdown();
    // The settings changed the ledger shown (own processor <-> a followed one): the window closed
    // itself so that main() builds the back end and the window again (docs/dashboard.md).
    bool reopenRequested() const { return m_reopenRequested; }

    // Rows of the jobs table kept in view where the window has the height (1280x720, maximized):
    // until a chart view is chosen the charts show one at a time, and the splitter gives the
    // table at least these rows (docs/dashboard.md, "A small screen").
    static constexpr int kMinTableRows = 8;

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildMenus();
    void addDocumentationActions(QMenu *help); // README and docs/ (DocLinks.h)
    void onSnapshot();
    void updateStopButton();
    void updateControlState();
    QString startWithLauncher();
    QString launchedStopTarget() const; // a job of the launchers that Stop would stop
    // MainWindowLayout.cpp: the window's first size within the screen, the charts' view as saved
    // (or as fits), and the jobs table's rows kept as the window changes.
    void placeWithinScreen();
    void restoreChartView();
    void fitCharts();
    void giveTableRows(bool all); // all: the charts get only what the table leaves
    // What a restart keeps (GuiSettings "gui/…"): the jobs table's sort, the splitter's sizes,
    // the charts' colours; the chart window and the geometry are kept where they are set.
    void restoreViewState();
    void saveViewState();

    SnapshotSource &m_backend;
    JobController &m_jobs;
    GuiSettings &m_settings;
    HeaderCards *m_cards = nullptr;
    ChartsPanel *m_charts = nullptr;
    QSplitter *m_splitter = nullptr; // charts above the jobs table
    JobsPanel *m_jobsPanel = nullptr;
    ControlsPanel *m_controls = nullptr;
    StatusBar *m_status = nullptr;
    LedgerSourceLabel *m_ledgerSource = nullptr; // own processor, or whose ledger is followed
    QPointer<SettingsDialog> m_dialog;
    FreshnessBanner *m_banner = nullptr;
    JobReportExporter *m_reports = nullptr;
    QPointer<QMessageBox> m_stopBox; // the open stop confirmation
    QString m_selectWhenSeen;        // a job started here: selected once the table shows it
    LaunchControl *m_launch = nullptr;
    LauncherPanel *m_launcherPanel = nullptr;
    ChartBackfill *m_backfill = nullptr;
    core::MqttOptions m_appliedMqtt;
    core::InfluxOptions m_appliedInflux;
    core::LedgerConfig m_appliedLedger;
    bool m_shutDown = false;
    bool m_reopenRequested = false;
    bool m_fitQueued = false; // fitCharts() is queued
    // The charts' share of the splitter's height as the operator dragged it (kept across restarts
    // and resizes, as long as the table keeps its rows); < 0: not chosen, the stretch factors.
    double m_chartShare = -1;
};

} // namespace greenpulse::app
