use std::process::ExitCode;

use anyhow::Result;

pub fn run() -> Result<ExitCode> {
    print!("{}", boardroom_formats::structure_schema());
    Ok(ExitCode::SUCCESS)
}
