"""报送材料: 附件4 (the letter), 附件5 (the summary table) and the 定向生 list as Word documents."""
