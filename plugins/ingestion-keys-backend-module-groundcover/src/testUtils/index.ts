export * from './GroundcoverContractServer';
