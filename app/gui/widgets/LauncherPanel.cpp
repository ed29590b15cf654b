#include "widgets/LauncherPanel.h"

#include "runtime/GuiSettings.h"
#include "runtime/launchers/LaunchControl.h"
#include "widgets/ControlsPanel.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/LaunchOutputDialog.h"
#include "widgets/MainWindow.h"

#include <QBoxLayout>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>

namespace greenpulse::app {

namespace {

// The form's last values, under gui/ in the settings.
const char *const kCommandKey = "launch-command";
const char *const kScriptKey = "launch-script";
const char *const kWrapKey = "launch-wrap";
const char *const kPartitionKey = "launch-partition";
const char *const kGpusKey = "launch-gpus";
const char *const kSbatchArgsKey = "launch-sbatch-args";
constexpr int kMaxGpus = 1024;
constexpr int kInfoMs = 8000; // how long a message that is not an error stays

QLineEdit *lineEdit(const QString &placeholder, const QString &tip, QWidget *parent)
{
    auto *line = new QLineEdit(parent);
    line->setPlaceholderText(placeholder);
    line->setToolTip(tip);
    line->setClearButtonEnabled(true);
    return line;
}

QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

} // namespace

LauncherPanel::LauncherPanel(LaunchControl &launch, QWidget *parent)
    : QWidget(parent), m_launch(launch)
{
    setObjectName(QStringLiteral("launcherPanel"));
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("launcherTitle"));
    m_title->setToolTip(tr("What Start job does; File ▸ Settings chooses it"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("launcherMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    m_messageTimer = new QTimer(this);
    m_messageTimer->setSingleShot(true);
    connect(m_messageTimer, &QTimer::timeout, this, &LauncherPanel::clearMessage);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(new QWidget(m_pages)); // Label only: no form
    m_pages->addWidget(commandPage());
    m_pages->addWidget(slurmPage());
    m_pages->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_pages);
    layout->addWidget(m_message);

    connect(&m_launch, &LaunchControl::settingsApplied, this, &LauncherPanel::updateTitle);
    connect(&m_launch, &LaunchControl::failed, this,
            [this](const QString &text) { showMessage(text, true); });
    connect(&m_launch, &LaunchControl::info, this,
            [this](const QString &text) { showMessage(text, false); });
    connect(m_partition, &QLineEdit::textChanged, this, &LauncherPanel::updateTitle);
    updateTitle();
}

QWidget *LauncherPanel::commandPage()
{
    GuiSettings &settings = m_launch.settings();
    auto *page = new QWidget(this);
    m_command = lineEdit(tr("e.g. python3 train.py --epochs 3"),
                         tr("Runs on this machine with your rights, without a shell: write "
                            "sh -c '…' for pipes or variables. Stop: SIGTERM, then SIGKILL."),
                         page);
    m_command->setObjectName(QStringLiteral("launchCommand"));
    m_command->setText(settings.guiValue(QLatin1String(kCommandKey)).toString());
    auto *row = new QHBoxLayout(page);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(buddyLabel(tr("&Command"), m_command, page));
    row->addWidget(m_command, 1);
    return page;
}

QWidget *LauncherPanel::slurmPage()
{
    GuiSettings &settings = m_launch.settings();
    auto *page = new QWidget(this);
    m_script = lineEdit(tr("batch script"), tr("The batch script sbatch submits"), page);
    m_script->setObjectName(QStringLiteral("launchScript"));
    m_script->setText(settings.guiValue(QLatin1String(kScriptKey)).toString());
    auto *browse = new QPushButton(tr("…"), page);
    browse->setToolTip(tr("Choose the batch script"));
    browse->setMaximumWidth(browse->fontMetrics().horizontalAdvance(browse->text()) + 24);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Batch script"), m_script->text());
        if (!file.isEmpty()) {
            m_script->setText(file);
        }
    });
    m_wrap = lineEdit(tr("or a command (--wrap)"),
                      tr("Without a script, sbatch --wrap runs this command line"), page);
    m_wrap->setObjectName(QStringLiteral("launchWrap"));
    m_wrap->setText(settings.guiValue(QLatin1String(kWrapKey)).toString());
    m_partition = lineEdit(tr("default"), tr("--partition; empty: the cluster's default"), page);
    m_partition->setObjectName(QStringLiteral("launchPartition"));
    m_partition->setText(settings.guiValue(QLatin1String(kPartitionKey)).toString());
    m_partition->setMaximumWidth(140);
    m_gpus = new QSpinBox(page);
    m_gpus->setObjectName(QStringLiteral("launchGpus"));
    m_gpus->setRange(0, kMaxGpus);
    m_gpus->setToolTip(tr("--gres=gpu:N; 0: none asked"));
    m_gpus->setValue(settings.guiValue(QLatin1String(kGpusKey), 0).toInt());
    m_sbatchArgs = lineEdit(tr("more sbatch options"),
                            tr("e.g. --time=30 --account=lab --output=%x-%j.out"), page);
    m_sbatchArgs->setObjectName(QStringLiteral("launchSbatchArgs"));
    m_sbatchArgs->setText(settings.guiValue(QLatin1String(kSbatchArgsKey)).toString());

    auto *row = new QHBoxLayout(page);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(buddyLabel(tr("&Script"), m_script, page));
    row->addWidget(m_script, 2);
    row->addWidget(browse);
    row->addWidget(m_wrap, 2);
    row->addSpacing(6);
    row->addWidget(buddyLabel(tr("&Partition"), m_partition, page));
    row->addWidget(m_partition);
    row->addWidget(buddyLabel(tr("&GPUs"), m_gpus, page));
    row->addWidget(m_gpus);
    row->addWidget(m_sbatchArgs, 1);
    return page;
}

void LauncherPanel::installIn(MainWindow &window)
{
    if (auto *buttons = qobject_cast<QBoxLayout *>(window.controls()->layout())) {
        buttons->insertWidget(buttons->indexOf(window.controls()->stopButton()) + 1, m_title);
    }
    if (auto *column = qobject_cast<QBoxLayout *>(window.centralWidget()->layout())) {
        column->insertWidget(column->indexOf(window.controls()) + 1, this);
    }
    attachTo(*window.jobsPanel());
}

void LauncherPanel::attachTo(JobsPanel &jobs)
{
    QTableView *view = jobs.view();
    auto jobAt = [view](const QPoint &pos) {
        return view->indexAt(pos).data(JobsTableModel::JobIdRole).toString();
    };
    connect(view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString jobId = index.data(JobsTableModel::JobIdRole).toString();
        if (m_launch.output(jobId)) {
            showOutput(jobId);
        }
    });
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this, [this, view, jobAt](QPoint pos) {
        const QString jobId = jobAt(pos);
        if (jobId.isEmpty()) {
            return;
        }
        QMenu menu(view);
        QAction *output = menu.addAction(tr("Show output…"));
        output->setEnabled(m_launch.output(jobId) != nullptr);
        QAction *stop = menu.addAction(tr("Stop"));
        stop->setEnabled(m_launch.canStop(jobId));
        QAction *chosen = menu.exec(view->viewport()->mapToGlobal(pos));
        if (chosen == output) {
            showOutput(jobId);
        } else if (chosen == stop) {
            m_launch.stop(jobId);
        }
    });
}

LaunchOutputDialog *LauncherPanel::showOutput(const QString &jobId)
{
    for (auto *open : findChildren<LaunchOutputDialog *>()) {
        if (open->jobId() == jobId) {
            open->raise();
            open->activateWindow();
            return open;
        }
    }
    auto *dialog = new LaunchOutputDialog(m_launch, jobId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

LaunchRequest LauncherPanel::request(const QString &name, const QString &host)
{
    saveForm();
    LaunchRequest r;
    r.name = name;
    r.host = host;
    if (m_launch.kind() == Launcher::Kind::Command) {
        r.command = m_command->text().trimmed();
    } else {
        r.command = m_wrap->text().trimmed();
    }
    r.script = m_script->text().trimmed();
    r.partition = m_partition->text().trimmed();
    r.gpus = m_gpus->value();
    r.sbatchArgs = m_sbatchArgs->text().trimmed();
    return r;
}

void LauncherPanel::saveForm()
{
    GuiSettings &settings = m_launch.settings();
    settings.setGuiValue(QLatin1String(kCommandKey), m_command->text().trimmed());
    settings.setGuiValue(QLatin1String(kScriptKey), m_script->text().trimmed());
    settings.setGuiValue(QLatin1String(kWrapKey), m_wrap->text().trimmed());
    settings.setGuiValue(QLatin1String(kPartitionKey), m_partition->text().trimmed());
    settings.setGuiValue(QLatin1String(kGpusKey), m_gpus->value());
    settings.setGuiValue(QLatin1String(kSbatchArgsKey), m_sbatchArgs->text().trimmed());
}

void LauncherPanel::updateTitle()
{
    const Launcher::Kind kind = m_launch.kind();
    QString title = tr("Launcher: %1").arg(launcherTitle(kind));
    if (kind == Launcher::Kind::Slurm) {
        const QString partition = m_partition->text().trimmed();
        title +=
            partition.isEmpty() ? tr(" (default partition)") : tr(" (partition %1)").arg(partition);
    }
    m_title->setText(title);
    m_pages->setCurrentIndex(static_cast<int>(kind));
    m_pages->setVisible(kind != Launcher::Kind::Label);
}

void LauncherPanel::showMessage(const QString &text, bool error)
{
    if (!error && m_message->isVisible() && m_message->property("error").toBool()) {
        return; // an error stays until the next Start
    }
    m_message->setText(text);
    m_message->setProperty("error", error);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828; font-weight: bold;")
                                   : QString());
    m_message->setForegroundRole(error ? QPalette::WindowText : QPalette::PlaceholderText);
    m_message->show();
    if (error) {
        m_messageTimer->stop(); // stays until the next start or message
    } else {
        m_messageTimer->start(kInfoMs);
    }
}

void LauncherPanel::clearMessage()
{
    m_message->clear();
    m_message->setProperty("error", false);
    m_message->hide();
}

} // namespace greenpulse::app
