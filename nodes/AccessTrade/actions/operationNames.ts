/** AccessTrade's resources and their operation values (see OperationNames). */
export type AccessTradeOperations = {
	conversion: 'create' | 'updateStatus';
	conversionPart: 'updateStatus';
};
