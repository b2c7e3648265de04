"""Rule-set data shipped with kompass (TOML files only; nothing here is executed)."""
