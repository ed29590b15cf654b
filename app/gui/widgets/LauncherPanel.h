#pragma once

#include "runtime/launchers/Launch.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;
class QTimer;

namespace greenpulse::app {

class JobsPanel;
class LaunchControl;
class LaunchOutputDialog;
class MainWindow;

// The launcher's part of the window (docs/dashboard.md, "Launchers"): "Launcher: Slurm
// (partition debug)" next to the Start/Stop buttons, a row under them with the chosen launcher's
// form (the command line; or the batch script / --wrap command, partition, GPUs and sbatch
// options), and a message line that shows what went wrong (sbatch missing, a refused
// submission, a command that cannot run) in the window itself. From the jobs table, a command's
// output opens with a double-click or the context menu. The form's last values are kept in the
// settings.
class LauncherPanel : public QWidget
{
    Q_OBJECT
public:
    LauncherPanel(LaunchControl &launch, QWidget *parent = nullptr);

    // Puts the title next to the window's buttons, this row under them, and the output viewer
    // on its jobs table.
    void installIn(MainWindow &window);

    // The form as a request (and remembers it for the next run).
    LaunchRequest request(const QString &name, const QString &host);

    void showMessage(const QString &text, bool error);
    void clearMessage();
    LaunchOutputDialog *showOutput(const QString &jobId);

    QLabel *titleLabel() const { return m_title; }
    QLabel *messageLabel() const { return m_message; }
    QLineEdit *commandEdit() const { return m_command; }
    QLineEdit *scriptEdit() const { return m_script; }
    QLineEdit *wrapEdit() const { return m_wrap; }
    QLineEdit *partitionEdit() const { return m_partition; }
    QSpinBox *gpusBox() const { return m_gpus; }
    QLineEdit *sbatchArgsEdit() const { return m_sbatchArgs; }

private:
    QWidget *commandPage();
    QWidget *slurmPage();
    void updateTitle();
    void attachTo(JobsPanel &jobs);
    void saveForm();

    LaunchControl &m_launch;
    QLabel *m_title = nullptr;
    QLabel *m_message = nullptr;
    QTimer *m_messageTimer = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_command = nullptr;
    QLineEdit *m_script = nullptr;
    QLineEdit *m_wrap = nullptr;
    QLineEdit *m_partition = nullptr;
    QSpinBox *m_gpus = nullptr;
    QLineEdit *m_sbatchArgs = nullptr;
};

} // namespace greenpulse::app
