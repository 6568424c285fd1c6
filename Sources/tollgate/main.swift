import TollgateCLI

await TollgateMain.main()
