"""The operations behind every button and command: neutral inputs (sheet views, the campaign, a database session), neutral results. Fronts (CLI, server, web) only parse and render."""
