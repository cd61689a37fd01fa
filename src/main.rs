//! The `oxtile` command: run the window manager, check a config, talk to a running
//! instance, or open a nested Xephyr session. See `oxtile --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use oxtile::ipc::{self, client};
use oxtile::wm::{self, Exit, StartOptions, WmError};
use oxtile::x11::XError;

/// A tiling window manager for X11, configured in Lua.
#[derive(Parser)]
#[command(name = "oxtile", version, about)]
struct Cli {
    /// Config file (default: $XDG_CONFIG_HOME/oxtile/config.lua, else the built-in one).
    #[arg(short, long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run as the window manager on $DISPLAY (the default).
    Start,
    /// Load and validate a config: exit 0, or 1 with FILE:LINE: message lines.
    Check {
        /// The file (default: the one oxtile would load).
        file: Option<PathBuf>,
    },
    /// Talk to the running oxtile: windows, groups, screens, layout, focused, errors,
    /// sync, eval CODE, focus ID, kill [ID], to-group NAME, move-to-group NAME,
    /// next-layout, set-layout NAME, next-screen, prev-screen, to-screen N,
    /// move-to-screen N, move-to-next-screen, minimize, toggle-scratchpad NAME,
    /// spawn CMD, reload, restart, quit.
    Cmd {
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
        /// The command and its arguments.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
    },
    /// Open a nested Xephyr window and run oxtile inside it.
    Xephyr {
        /// Size of the nested screen.
        #[arg(long, default_value = "1280x800")]
        screen: String,
    },
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Start) {
        Command::Start => {
            init_logging();
            start(cli.config)
        }
        Command::Check { file } => check(file.or(cli.config)),
        Command::Cmd { json, words } => {
            // `--json` may also come after the command words (`oxtile cmd windows --json`).
            let json = json || words.iter().any(|w| w == "--json");
            let words: Vec<String> = words.into_iter().filter(|w| w != "--json").collect();
            cmd(json, &words)
        }
        Command::Xephyr { screen } => {
            init_logging();
            xephyr(cli.config, &screen)
        }
    }
}

fn start(config: Option<PathBuf>) -> ExitCode {
    match wm::run(StartOptions {
        config: config.clone(),
    }) {
        Ok(Exit::Quit) => ExitCode::SUCCESS,
        Ok(Exit::Restart) => {
            use std::os::unix::process::CommandExt;
            let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("oxtile"));
            let mut cmd = std::process::Command::new(exe);
            if let Some(c) = config {
                cmd.arg("-c").arg(c);
            }
            let err = cmd.arg("start").exec();
            eprintln!("oxtile: restart failed: {err}");
            ExitCode::FAILURE
        }
        Err(WmError::X(XError::AnotherWm)) => {
            eprintln!("oxtile: another window manager is running");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("oxtile: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(file: Option<PathBuf>) -> ExitCode {
    let Some(path) = file.or_else(oxtile::paths::config_file) else {
        println!("no config file found; oxtile would use its built-in default");
        return ExitCode::SUCCESS;
    };
    let problems = oxtile::lua::check(&path);
    if problems.is_empty() {
        println!("{}: OK", path.display());
        ExitCode::SUCCESS
    } else {
        for p in problems {
            eprintln!("{p}");
        }
        ExitCode::FAILURE
    }
}

fn cmd(as_json: bool, words: &[String]) -> ExitCode {
    let request = match client::request_from_args(words) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("oxtile cmd: {e}");
            return ExitCode::from(2);
        }
    };
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.is_empty() {
        eprintln!("oxtile cmd: DISPLAY is not set");
        return ExitCode::FAILURE;
    }
    let socket = oxtile::paths::socket_path(&display);
    match client::send(&socket, &request) {
        Ok(ipc::Response {
            ok: true, result, ..
        }) => {
            if as_json {
                println!("{result}");
            } else {
                let text = client::to_text(&request, &result);
                if !text.is_empty() {
                    println!("{text}");
                }
            }
            ExitCode::SUCCESS
        }
        Ok(ipc::Response { error, .. }) => {
            eprintln!("oxtile cmd: {}", error.unwrap_or_else(|| "failed".into()));
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("oxtile cmd: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Start Xephyr on a free display (it tells us which through -displayfd), then run oxtile
/// inside it until Xephyr's window is closed or oxtile quits.
fn xephyr(config: Option<PathBuf>, screen: &str) -> ExitCode {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let (mut reader, writer) = match std::io::pipe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("oxtile xephyr: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The pipe is close-on-exec; Xephyr must inherit its write end.
    if let Err(e) = rustix::io::fcntl_setfd(&writer, rustix::io::FdFlags::empty()) {
        eprintln!("oxtile xephyr: {e}");
        return ExitCode::FAILURE;
    }
    let fd = {
        use std::os::fd::AsRawFd;
        writer.as_raw_fd()
    };
    let server = Command::new("Xephyr")
        .args([
            "-screen",
            screen,
            "-resizeable",
            "-nolisten",
            "tcp",
            "-displayfd",
        ])
        .arg(fd.to_string())
        .stdout(Stdio::null())
        .spawn();
    let mut server = match server {
        Ok(s) => s,
        Err(e) => {
            eprintln!("oxtile xephyr: cannot start Xephyr ({e}); install xserver-xephyr");
            return ExitCode::FAILURE;
        }
    };
    drop(writer);
    let mut number = String::new();
    let mut byte = [0u8; 1];
    while let Ok(1) = reader.read(&mut byte) {
        if byte[0] == b'\n' {
            break;
        }
        number.push(byte[0] as char);
    }
    if number.trim().is_empty() {
        eprintln!("oxtile xephyr: Xephyr did not start");
        let _ = server.kill();
        return ExitCode::FAILURE;
    }
    let display = format!(":{}", number.trim());
    println!("oxtile: nested X server on DISPLAY={display}");
    std::env::set_var("DISPLAY", &display);
    let code = start(config);
    let _ = server.kill();
    let _ = server.wait();
    code
}
