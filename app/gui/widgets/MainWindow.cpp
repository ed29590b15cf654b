#include "widgets/MainWindow.h"

#include "base/Logging.h"
#include "base/Version.h"
#include "charts/ChartsPanel.h"
#include "pipeline/ProcessorSnapshot.h"
#include "runtime/Backend.h"
#include "runtime/ChartBackfill.h"
#include "runtime/DocLinks.h"
#include "runtime/Freshness.h"
#include "runtime/GuiSettings.h"
#include "runtime/JobController.h"
#include "runtime/SnapshotSource.h"
#include "runtime/launchers/LaunchControl.h"
#include "widgets/ControlsPanel.h"
#include "widgets/FreshnessBanner.h"
#include "widgets/HeaderCards.h"
#include "widgets/JobReportExporter.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/LauncherPanel.h"
#include "widgets/LedgerSourceLabel.h"
#include "widgets/SettingsDialog.h"
#include "widgets/StatusBar.h"
#include "widgets/StopConfirmation.h"
#include "widgets/WindowStateKeys.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace greenpulse::app {

MainWindow::MainWindow(SnapshotSource &backend, const core::SeriesStore &series,
                       JobController &jobs, GuiSettings &settings, QWidget *parent)
    : QMainWindow(parent), m_backend(backend), m_jobs(jobs), m_settings(settings),
      m_appliedMqtt(settings.processorMqttOptions()), m_appliedInflux(settings.influxOptions()),
      m_appliedLedger(settings.ledgerConfig())
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(LedgerSourceLabel::windowTitle(m_backend.followedProcessor()));
    setWindowIcon(QIcon(QStringLiteral(":/icons/greenpulse.svg")));
    setMinimumSize(960, 600); // within a 1024x768 or 1280x720 screen, with a panel and a frame

    m_cards = new HeaderCards(this);
    m_controls = new ControlsPanel(this);
    m_charts = new ChartsPanel(series, this);
    m_jobsPanel = new JobsPanel(this);
    m_reports = new JobReportExporter(m_backend, series, *m_jobsPanel, *m_charts, this);
    m_status = new StatusBar(this);
    setStatusBar(m_status);
    m_banner = new FreshnessBanner(this);
    m_ledgerSource = new LedgerSourceLabel(m_backend.followedProcessor(), m_status);
    m_status->addPermanentWidget(m_ledgerSource);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_charts);
    m_splitter->addWidget(m_jobsPanel);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(12, 10, 12, 4);
    layout->setSpacing(10);
    layout->addWidget(m_banner);
    layout->addWidget(m_cards);
    layout->addWidget(m_controls);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    buildMenus();

    connect(m_controls, &ControlsPanel::startRequested, this, [this] { startJob(); });
    connect(m_controls, &ControlsPanel::stopRequested, this, [this] { stopJob(); });
    connect(m_controls, &ControlsPanel::demoRequested, this, &MainWindow::toggleDemo);
    connect(m_jobsPanel, &JobsPanel::selectionChanged, this, &MainWindow::updateStopButton);
    connect(m_jobsPanel, &JobsPanel::exported, this, [this](const QString &path, int count) {
        m_status->showMessage(
            (count == 1 ? tr("Exported 1 job to %1") : tr("Exported %1 jobs to %2").arg(count))
                .arg(path),
            10000);
    });
    connect(m_reports, &JobReportExporter::exported, this, [this](const QString &path) {
        m_status->showMessage(tr("Saved the job's report to %1").arg(path), 10000);
    });
    // Linked highlighting: the selected job, or the filter's jobs, stand out in the charts.
    connect(m_jobsPanel, &JobsPanel::selectionChanged, this,
            [this] { m_charts->highlightJob(m_jobsPanel->selectedJobId()); });
    connect(m_jobsPanel, &JobsPanel::filterChanged, m_charts, &ChartsPanel::setFilterText);
    connect(&m_jobs.demo(), &DemoRunner::progress, m_controls, &ControlsPanel::setDemoProgress);
    connect(&m_jobs.demo(), &DemoRunner::jobStarted, this,
            [this](const QString &id) { m_selectWhenSeen = id; });
    connect(&m_jobs.demo(), &DemoRunner::finished, this,
            [this] { m_controls->setDemoRunning(false); });
    connect(&m_jobs, &JobController::stateChanged, this, &MainWindow::updateControlState);
    connect(&m_backend, &SnapshotSource::snapshotUpdated, this, &MainWindow::onSnapshot);
    connect(&m_backend, &SnapshotSource::processorError, this, [this](const QString &message) {
        m_banner->showError(tr("Processor: %1").arg(message)); // stays until dismissed
    });

    const int window = m_settings.guiValue(windowstate::kChartWindowS, 15 * 60).toInt();
    m_charts->setWindowSeconds(window);
    connect(m_charts, &ChartsPanel::windowChanged, this,
            [this](int seconds) { m_settings.setGuiValue(windowstate::kChartWindowS, seconds); });
    placeWithinScreen();
    restoreChartView();
    restoreViewState();
    updateControlState();
    updateStopButton();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *exportAction = file->addAction(tr("&Export jobs as CSV…"));
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAction, &QAction::triggered, m_jobsPanel, &JobsPanel::exportCsvInteractive);
    file->addAction(m_jobsPanel->reportAction()); // Job report… (Ctrl+R)
    QAction *settingsAction = file->addAction(tr("&Settings…"));
    settingsAction->setShortcut(QKeySequence::Preferences);
    if (settingsAction->shortcut().isEmpty()) {
        settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    }
    connect(settingsAction, &QAction::triggered, this, [this] { openSettings(); });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    auto *group = new QActionGroup(this);
    for (int seconds : ChartsPanel::windowChoicesSeconds()) {
        QAction *action =
            view->addAction(seconds < 3600    ? tr("Last %1 minutes").arg(seconds / 60)
                            : seconds == 3600 ? tr("Last hour")
                                              : tr("Last %1 hours").arg(seconds / 3600));
        action->setCheckable(true);
        action->setData(seconds);
        group->addAction(action);
        connect(action, &QAction::triggered, this,
                [this, seconds] { m_charts->setWindowSeconds(seconds); });
        connect(m_charts, &ChartsPanel::windowChanged, action,
                [action, seconds](int now) { action->setChecked(now == seconds); });
        action->setChecked(seconds == m_charts->windowSeconds());
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    addDocumentationActions(help);
    help->addSeparator();
    connect(help->addAction(tr("&About GreenPulse")), &QAction::triggered, this, [this] {
        QMessageBox::about(
            this, tr("About GreenPulse"),
            tr("<h3>GreenPulse %1</h3><p>What AI compute costs the planet, live: energy (kWh), "
               "carbon (kg CO₂e) and water consumed (litres), job by job.</p>"
               "<p>Start: Ctrl+Return · Stop: Ctrl+. · Settings: Ctrl+,</p>")
                .arg(QLatin1String(core::kVersion)));
    });
}

void MainWindow::addDocumentationActions(QMenu *help)
{
    const struct
    {
        QString title;
        QString file;
    } docs[] = {
        {tr("&Dashboard guide"), QStringLiteral("docs/dashboard.md")},
        {tr("&README"), QStringLiteral("README.md")},
        {tr("&Accounting rules"), QStringLiteral("docs/accounting.md")},
        {tr("MQTT &protocol"), QStringLiteral("docs/protocol.md")},
    };
    for (const auto &doc : docs) {
        QAction *action = help->addAction(doc.title);
        action->setData(doc.file);
        connect(action, &QAction::triggered, this, [this, file = doc.file] {
            const QString path = doclinks::find(file);
            if (path.isEmpty() || !QDesktopServices::openUrl(QUrl::fromLocalFile(path))) {
                QMessageBox::information(
                    this, tr("Documentation"),
                    tr("%1 was not found here. It is installed with the package in "
                       "/usr/share/doc/greenpulse, and is in the source tree.")
                        .arg(file));
            }
        });
    }
}

void MainWindow::onSnapshot()
{
    const auto snapshot = m_backend.snapshot();
    if (!snapshot) {
        return;
    }
    const Freshness freshness = Freshness::of(*snapshot);
    m_banner->setControlState(m_jobs.state(), m_jobs.lastError());
    m_banner->setSnapshot(*snapshot, freshness, m_jobs.takeoverWarning());
    m_cards->setSnapshot(*snapshot, freshness);
    m_charts->setSnapshot(snapshot);
    m_jobsPanel->model().setSilentHosts(freshness.silentAges);
    if (m_launch) {
        m_jobsPanel->model().update(m_launch->withLaunches(snapshot->jobs));
        m_jobsPanel->model().setStatusTexts(m_launch->statusTexts());
    } else {
        m_jobsPanel->model().update(snapshot->jobs);
    }
    m_controls->setHosts(snapshot->hosts);
    m_controls->setSilentHosts(freshness.silentAges);
    m_status->setControlState(m_jobs.state(), m_jobs.lastError(), m_jobs.droppedPublishes());
    m_status->setSnapshot(*snapshot);
    m_ledgerSource->setSnapshot(*snapshot);
    if (!m_selectWhenSeen.isEmpty() && m_jobsPanel->model().rowOf(m_selectWhenSeen) >= 0) {
        m_jobsPanel->selectJob(m_selectWhenSeen);
        m_selectWhenSeen.clear();
    }
    updateStopButton();
}

QString MainWindow::startJob()
{
    if (m_launch && m_launch->kind() != Launcher::Kind::Label) {
        return startWithLauncher();
    }
    const QString name = m_controls->jobName();
    if (name.isEmpty()) {
        // The field was cleared by the last start: a second Ctrl+Return repeats nothing.
        m_status->showMessage(tr("Type a name to start another job"), 5000);
        m_controls->nameEdit()->setFocus();
        return {};
    }
    const QString id = m_jobs.startJob(name, m_controls->hostChoice());
    m_selectWhenSeen = id;
    m_controls->markStarted(id);
    m_status->showMessage(tr("Started %1").arg(id), 5000);
    return id;
}

QString MainWindow::stopJob()
{
    QString id = m_jobsPanel->selectedRunningJobId();
    if (id.isEmpty()) {
        const QStringList running = m_jobsPanel->model().runningJobs();
        if (running.contains(m_jobs.lastStartedJob())) {
            id = m_jobs.lastStartedJob();
        }
    }
    if (const QString launched = launchedStopTarget(); !launched.isEmpty()) {
        m_launch->stop(launched); // SIGTERM then SIGKILL, or scancel
        m_status->showMessage(tr("Stopping %1").arg(launched), 5000);
        return launched;
    }
    if (id.isEmpty()) {
        m_status->showMessage(tr("Select a running job to stop"), 4000);
        return {};
    }
    if (m_stopBox) {
        m_stopBox->raise(); // one question at a time
        return {};
    }
    const int row = m_jobsPanel->model().rowOf(id);
    m_stopBox = askToStopJob(this, id, m_jobsPanel->model().job(row), [this, id] {
        m_jobs.endJob(id);
        m_status->showMessage(tr("Stopped %1").arg(id), 5000);
    });
    return id;
}

void MainWindow::toggleDemo()
{
    DemoRunner &demo = m_jobs.demo();
    if (demo.isRunning()) {
        demo.cancel();
        m_controls->setDemoRunning(false);
        return;
    }
    demo.start(m_controls->hostChoice());
    m_controls->setDemoRunning(demo.isRunning());
}

bool MainWindow::exportCsv(const QString &path, QString *error) const
{
    return m_jobsPanel->model().exportCsv(path, error);
}

void MainWindow::updateStopButton()
{
    QString id = m_jobsPanel->selectedRunningJobId();
    if (id.isEmpty() && m_jobsPanel->model().runningJobs().contains(m_jobs.lastStartedJob())) {
        id = m_jobs.lastStartedJob();
    }
    if (const QString launched = launchedStopTarget(); !launched.isEmpty()) {
        id = launched;
    }
    m_controls->setStopEnabled(!id.isEmpty(), id);
}

void MainWindow::updateControlState()
{
    const bool connected = m_jobs.state() == core::ConnectionState::Connected;
    // Publishing while disconnected queues, so the buttons stay usable; the tooltip says so.
    m_controls->startButton()->setToolTip(
        connected
            ? tr("Publish a job start (Ctrl+Return)")
            : tr("Not connected to the broker: the start is queued until it is (Ctrl+Return)"));
    m_status->setControlState(m_jobs.state(), m_jobs.lastError(), m_jobs.droppedPublishes());
}

SettingsDialog *MainWindow::openSettings()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return m_dialog;
    }
    m_dialog = new SettingsDialog(m_settings, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this] {
        if (m_dialog && m_dialog->save()) {
            applySettings();
        }
    });
    m_dialog->open();
    return m_dialog;
}

void MainWindow::applySettings()
{
    const core::LedgerConfig ledger = m_settings.ledgerConfig();
    if (ledger != m_appliedLedger) {
        m_appliedLedger = ledger;
        m_backend.applyLedgerConfig(ledger);
        qCInfo(lcApp) << "accounting settings applied: carbon" << ledger.carbonKgPerKwh
                      << "kg/kWh, PUE" << ledger.pue << ", max gap" << ledger.maxGapSeconds << "s";
    }
    const core::MqttOptions mqtt = m_settings.processorMqttOptions();
    if (mqtt != m_appliedMqtt) {
        m_appliedMqtt = mqtt;
        m_backend.applyMqttOptions(mqtt);
        m_jobs.applyMqttOptions(m_settings.controlMqttOptions());
        m_jobs.connectToBroker();
    }
    if (m_launch) {
        m_launch->applySettings();
    }
    const core::InfluxOptions influx = m_settings.influxOptions();
    if (influx != m_appliedInflux) {
        m_appliedInflux = influx;
        m_backend.applyInfluxOptions(influx);
        if (m_backfill) {
            m_backfill->setOptions(influx);
        }
    }
    if (m_settings.followProcessor() != m_backend.followedProcessor()) {
        // The back end is chosen when the window is built (docs/dashboard.md, "Follow mode"):
        // the window reopens on the other one, unless that would stop a command it launched.
        if (m_launch && !m_launch->lastStoppable().isEmpty()) {
            m_status->showMessage(tr("Settings applied; the ledger shown changes once the jobs "
                                     "launched here have ended and the window is reopened"),
                                  15000);
            return;
        }
        qCInfo(lcApp).noquote() << "the ledger shown changes: reopening the window";
        m_reopenRequested = true;
        QTimer::singleShot(0, this, &QWidget::close);
        return;
    }
    m_status->showMessage(tr("Settings applied"), 4000);
}

void MainWindow::shutdown()
{
    if (m_shutDown) {
        return;
    }
    m_shutDown = true;
    m_settings.setGuiValue(windowstate::kGeometry, saveGeometry());
    saveViewState();
    m_settings.sync();
    m_jobs.demo().cancel(); // a demo job must not outlive the demo
    if (m_launch) {
        m_launch->shutdown(); // commands still running: stopped, their ends published
    }
    m_jobs.disconnectFromBroker();
    m_backend.shutdown(2000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    shutdown();
    event->accept();
}

void MainWindow::setLaunchControl(LaunchControl &launch)
{
    m_launch = &launch;
    m_launcherPanel = new LauncherPanel(launch, this);
    m_launcherPanel->installIn(*this);
    connect(&launch, &LaunchControl::started, this, [this](const QString &id) {
        m_selectWhenSeen = id;
        m_status->showMessage(tr("Started %1").arg(id), 5000);
    });
    connect(&launch, &LaunchControl::changed, this, &MainWindow::updateStopButton);
    updateStopButton();
}

QString MainWindow::startWithLauncher()
{
    m_launcherPanel->clearMessage();
    const QString before = m_launch->lastStarted();
    m_launch->start(m_launcherPanel->request(m_controls->jobName(), m_controls->hostChoice()));
    // A command's job id is known at once; a Slurm job's once sbatch answers (started()).
    const QString after = m_launch->lastStarted();
    return after != before ? after : QString();
}

QString MainWindow::launchedStopTarget() const
{
    if (!m_launch) {
        return {};
    }
    const QString selected = m_jobsPanel->selectedJobId();
    if (m_launch->canStop(selected)) {
        return selected;
    }
    if (!m_jobsPanel->selectedRunningJobId().isEmpty()) {
        return {}; // another running job is selected: the window ends it as before
    }
    return m_launch->lastStoppable();
}

void MainWindow::setBackfill(ChartBackfill &backfill)
{
    m_backfill = &backfill;
    connect(m_charts, &ChartsPanel::windowChanged, &backfill, &ChartBackfill::fill);
    connect(&backfill, &ChartBackfill::failed, this, [this](const QString &message) {
        m_status->showMessage(tr("Chart history from InfluxDB failed: %1").arg(message), 15000);
    });
    backfill.fill(m_charts->windowSeconds());
}

void MainWindow::restoreViewState()
{
    QHeaderView *header = m_jobsPanel->view()->horizontalHeader();
    const int column = m_settings.guiValue(windowstate::kSortColumn, -1).toInt();
    if (column >= 0 && column < header->count()) {
        const int order = m_settings.guiValue(windowstate::kSortOrder).toInt();
        m_jobsPanel->view()->sortByColumn(
            column, order == Qt::AscendingOrder ? Qt::AscendingOrder : Qt::DescendingOrder);
    }
    const double share = m_settings.guiValue(windowstate::kChartShare, -1).toDouble();
    m_chartShare = share > 0 && share < 1 ? share : -1; // applied once laid out (fitCharts)
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] {
        const QList<int> sizes = m_splitter->sizes();
        const int total = sizes.value(0) + sizes.value(1);
        if (total > 0 && !m_charts->isCollapsed()) {
            m_chartShare = static_cast<double>(sizes.value(0)) / total;
        }
    });
    m_charts->restoreColors(m_settings.guiValue(windowstate::kChartColors).toMap());
}

void MainWindow::saveViewState()
{
    const QHeaderView *header = m_jobsPanel->view()->horizontalHeader();
    m_settings.setGuiValue(windowstate::kSortColumn, header->sortIndicatorSection());
    m_settings.setGuiValue(windowstate::kSortOrder, static_cast<int>(header->sortIndicatorOrder()));
    if (m_chartShare > 0) {
        m_settings.setGuiValue(windowstate::kChartShare, m_chartShare);
    }
    m_settings.setGuiValue(windowstate::kChartColors, m_charts->colors());
}

} // namespace greenpulse::app
